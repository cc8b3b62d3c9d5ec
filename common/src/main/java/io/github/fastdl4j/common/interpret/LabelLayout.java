package io.github.fastdl4j.common.interpret;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a chart's texts go, in pixels (y down), so that they can be read: point labels beside
 * their dots and never over each other (a greedy placement: labels in priority order, each at the
 * first free spot around its dot, or left out), both axes of a scatter at the same scale (a PCA's
 * components are in the same units: a component with 1% of the variance must look flat), and axis
 * ticks far enough apart for their labels.
 */
public final class LabelLayout {

    /** What moving a label one ring farther from its dot costs, in dots covered. */
    private static final double RING_COST = 4;

    private LabelLayout() {
    }

    /**
     * A rectangle in pixels: left, top, width, height.
     *
     * @param x left
     * @param y top
     * @param w width
     * @param h height
     */
    public record Box(double x, double y, double w, double h) {

        /** Whether the two boxes share any area (touching edges do not). */
        public boolean intersects(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }

        /** Whether the box comes within {@code r} of the point (a dot of radius r). */
        public boolean touches(double px, double py, double r) {
            double dx = Math.max(Math.max(x - px, 0), px - (x + w));
            double dy = Math.max(Math.max(y - py, 0), py - (y + h));
            return dx * dx + dy * dy < r * r;
        }

        /** Whether {@code o} lies wholly inside this box. */
        public boolean contains(Box o) {
            return o.x >= x && o.y >= y && o.x + o.w <= x + w && o.y + o.h <= y + h;
        }
    }

    /**
     * Places labels beside their dots. Label {@code i} (width {@code w[i]}, height {@code h[i]};
     * NaN width for a point without a label) belongs to the dot at {@code (px[i], py[i])} of radius
     * {@code r}; labels are placed in index order (put the most important first). Each goes to one
     * of 24 spots around its dot (right, left, above, below and the diagonals; 2, 10 and 34 pixels
     * off its edge) that stays inside {@code area}, overlaps no label placed before and keeps clear
     * of its own dot: the one covering the fewest other dots, where each step farther out counts as
     * {@value #RING_COST} dots (draw a leader line to a far label: {@link #leader}). A label with no
     * such spot is left out (null).
     */
    public static Box[] place(double[] px, double[] py, double[] w, double[] h, double r, Box area) {
        int n = px.length;
        Box[] placed = new Box[n];
        List<Box> taken = new ArrayList<>();
        double gap = 2;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(w[i])) {
                continue;
            }
            Box best = null;
            double bestCost = Double.POSITIVE_INFINITY;
            double[] rings = {1, 3, 7};
            for (int ring = 0; ring < rings.length; ring++) {
                double far = rings[ring];
                double d = r + gap * far + (far - 1) * 4;
                double[][] spots = {
                        {px[i] + d, py[i] - h[i] / 2}, {px[i] - d - w[i], py[i] - h[i] / 2},
                        {px[i] - w[i] / 2, py[i] - d - h[i]}, {px[i] - w[i] / 2, py[i] + d},
                        {px[i] + d * 0.7, py[i] - d * 0.7 - h[i]}, {px[i] + d * 0.7, py[i] + d * 0.7},
                        {px[i] - d * 0.7 - w[i], py[i] - d * 0.7 - h[i]}, {px[i] - d * 0.7 - w[i], py[i] + d * 0.7}};
                for (double[] s : spots) {
                    Box b = new Box(s[0], s[1], w[i], h[i]);
                    if (!area.contains(b) || b.touches(px[i], py[i], r) || taken.stream().anyMatch(b::intersects)) {
                        continue;
                    }
                    int covered = 0;
                    for (int j = 0; j < n; j++) {
                        if (j != i && b.touches(px[j], py[j], r)) {
                            covered++;
                        }
                    }
                    // near the dot reads best: a farther ring only to cover 4 fewer dots per ring
                    double cost = covered + RING_COST * ring;
                    if (cost < bestCost) {
                        best = b;
                        bestCost = cost;
                    }
                }
            }
            if (best != null) {
                placed[i] = best;
                taken.add(best);
            }
        }
        return placed;
    }

    /**
     * A line from the edge of the dot at {@code (px, py)} (radius {@code r}) to the nearest point of
     * its label's box, {x0, y0, x1, y1}, or null when the label sits right at the dot.
     */
    public static double[] leader(Box b, double px, double py, double r) {
        double nx = Math.max(b.x(), Math.min(px, b.x() + b.w()));
        double ny = Math.max(b.y(), Math.min(py, b.y() + b.h()));
        double d = Math.hypot(nx - px, ny - py);
        if (d <= r + 4) {
            return null;
        }
        return new double[]{px + (nx - px) * r / d, py + (ny - py) * r / d, nx, ny};
    }

    /**
     * Axis ranges with the same units per pixel on both axes, holding the data
     * ({@code [xMin, xMax] x [yMin, yMax]}, padded by {@code pad} of the larger span on each side)
     * centred in a plot of {@code width x height} pixels: returns {xMin, xMax, yMin, yMax}.
     */
    public static double[] equalScale(double xMin, double xMax, double yMin, double yMax, double width, double height, double pad) {
        double xSpan = Math.max(xMax - xMin, 0);
        double ySpan = Math.max(yMax - yMin, 0);
        if (!(Math.max(xSpan, ySpan) > 1e-12 * Math.max(1, Math.max(Math.abs(xMin), Math.abs(yMin))))) {
            xSpan = 1; // every point at one spot (an untrained embedding): a unit square around it
            ySpan = 1;
        }
        double margin = pad * Math.max(xSpan, ySpan);
        double perPixel = Math.max((xSpan + 2 * margin) / width, (ySpan + 2 * margin) / height);
        double xc = (xMin + xMax) / 2;
        double yc = (yMin + yMax) / 2;
        return new double[]{xc - perPixel * width / 2, xc + perPixel * width / 2, yc - perPixel * height / 2, yc + perPixel * height / 2};
    }

    /**
     * Tick values for an axis of {@code [min, max]} over {@code pixels}: multiples of a round step
     * (1, 2 or 5 times a power of ten, at least {@code minStep}) far enough apart that labels of
     * up to {@code labelWidth} pixels keep a gap of at least {@code gap} pixels between them.
     */
    public static double[] ticks(double min, double max, double pixels, double labelWidth, double gap, double minStep) {
        double span = max - min;
        if (!(span > 0) || !(pixels > 0)) {
            return new double[]{min};
        }
        double need = span * (labelWidth + gap) / pixels; // the smallest step whose labels do not meet
        double step = Math.max(minStep, Math.pow(10, Math.floor(Math.log10(need))));
        for (double m : new double[]{1, 2, 5, 10}) {
            double s = Math.pow(10, Math.floor(Math.log10(need))) * m;
            if (s >= need && s >= minStep) {
                step = s;
                break;
            }
        }
        if (step < need) {
            step = Math.max(minStep, Math.pow(10, Math.ceil(Math.log10(need))));
        }
        long first = (long) Math.ceil(min / step - 1e-9);
        long last = (long) Math.floor(max / step + 1e-9);
        double[] out = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (first + i) * step;
        }
        return out;
    }
}

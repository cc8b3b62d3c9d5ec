package io.github.fastdl4j.common.train;

import java.util.Arrays;

/**
 * The learning-rate finder's curve and suggestions.
 *
 * @param lrs       learning rate of each step
 * @param losses    smoothed loss after each step
 * @param valley    fastai's default suggestion: the middle of the longest falling stretch
 * @param minimum   the rate at the lowest loss divided by 10 (fastai's {@code minimum})
 * @param steep     the rate where the loss falls fastest against log(rate) (fastai's {@code steep})
 */
public record LrFindResult(double[] lrs, double[] losses, double valley, double minimum, double steep) {

    /**
     * Suggestions computed as fastai does, on the curve without its first tenth and last 5 points
     * (the start is noise, the end is divergence).
     */
    static LrFindResult of(double[] lrs, double[] losses, int numIt) {
        int from = numIt / 10;
        int to = Math.max(from + 2, lrs.length - 5);
        if (to > lrs.length) {
            from = 0;
            to = lrs.length;
        }
        double[] l = Arrays.copyOfRange(lrs, from, to);
        double[] y = Arrays.copyOfRange(losses, from, to);
        int best = 0;
        for (int i = 1; i < y.length; i++) {
            if (y[i] < y[best]) {
                best = i;
            }
        }
        return new LrFindResult(lrs, losses, l[valleyIndex(y)], l[best] / 10, l[steepIndex(l, y)]);
    }

    /** Draws loss against learning rate (log scale) with the suggestions marked, as fastai's plot. */
    public void plot(java.nio.file.Path png) throws java.io.IOException {
        java.util.Map<String, double[][]> series = new java.util.LinkedHashMap<>();
        series.put("smoothed loss", new double[][]{lrs, losses});
        series.put(String.format(java.util.Locale.ROOT, "valley %.2e", valley), point(valley));
        series.put(String.format(java.util.Locale.ROOT, "minimum/10 %.2e", minimum), point(minimum));
        series.put(String.format(java.util.Locale.ROOT, "steep %.2e", steep), point(steep));
        io.github.fastdl4j.common.interpret.Charts.lines(png, "Learning rate finder", "learning rate (log scale)",
                "loss", series, true);
    }

    /** A vertical marker at a learning rate, spanning the plotted losses. */
    private double[][] point(double lr) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double l : losses) {
            if (Double.isFinite(l)) {
                lo = Math.min(lo, l);
                hi = Math.max(hi, l);
            }
        }
        return new double[][]{{lr, lr}, {lo, hi}};
    }

    /** fastai's {@code steep}: the point of the most negative slope of loss against log(rate). */
    static int steepIndex(double[] lrs, double[] losses) {
        int best = 0;
        double bestSlope = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < losses.length; i++) {
            double slope = (losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
            if (slope < bestSlope) {
                bestSlope = slope;
                best = i;
            }
        }
        return best;
    }

    /** fastai's {@code valley}: find the longest decreasing stretch of the curve and take the point halfway through its middle third. */
    static int valleyIndex(double[] losses) {
        int n = losses.length;
        int[] lds = new int[n];
        Arrays.fill(lds, 1);
        int maxStart = 0;
        int maxEnd = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (losses[i] < losses[j] && lds[i] < lds[j] + 1) {
                    lds[i] = lds[j] + 1;
                }
                if (lds[maxEnd] < lds[i]) {
                    maxEnd = i;
                    maxStart = maxEnd - lds[maxEnd];
                }
            }
        }
        double sections = (maxEnd - maxStart) / 3.0;
        return Math.min(n - 1, maxStart + (int) sections + (int) (sections / 2));
    }
}

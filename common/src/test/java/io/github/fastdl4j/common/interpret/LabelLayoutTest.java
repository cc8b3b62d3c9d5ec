package io.github.fastdl4j.common.interpret;

import io.github.fastdl4j.common.interpret.LabelLayout.Box;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelLayoutTest {

    private static final Box AREA = new Box(0, 0, 1000, 700);

    private static void assertReadable(Box[] boxes, double[] px, double[] py, double r) {
        for (int i = 0; i < boxes.length; i++) {
            if (boxes[i] == null) {
                continue;
            }
            assertTrue(AREA.contains(boxes[i]), "inside the plot: " + boxes[i]);
            assertFalse(boxes[i].touches(px[i], py[i], r), "label " + i + " is clear of its own dot: " + boxes[i]);
            for (int j = i + 1; j < boxes.length; j++) {
                if (boxes[j] != null) {
                    assertFalse(boxes[i].intersects(boxes[j]), "labels " + i + " and " + j + " overlap: " + boxes[i] + " " + boxes[j]);
                }
            }
        }
    }

    /** Shawshank on The Empire Strikes Back: two dots at one spot both get a label, side by side. */
    @Test
    void twoDotsAtOneSpotGetTwoSeparateLabels() {
        double[] px = {500, 500};
        double[] py = {300, 300};
        double[] w = {230, 240};
        double[] h = {15, 15};
        Box[] b = LabelLayout.place(px, py, w, h, 4, AREA);
        assertNotNull(b[0]);
        assertNotNull(b[1]);
        assertReadable(b, px, py, 4);
        // the first goes right of its dot, the second, with the right taken, to the left: exact spots
        assertEquals(new Box(506, 292.5, 230, 15), b[0]);
        assertEquals(new Box(500 - 6 - 240, 292.5, 240, 15), b[1]);
    }

    @Test
    void aLabelAtThePlotsEdgeGoesInsideAndOneWithNoRoomIsLeftOut() {
        // a dot at the right edge: its label goes left, not out of the plot
        Box[] edge = LabelLayout.place(new double[]{995}, new double[]{350}, new double[]{100}, new double[]{15}, 4, AREA);
        assertEquals(new Box(995 - 6 - 100, 342.5, 100, 15), edge[0]);
        // a label wider than the plot has no place
        Box[] wide = LabelLayout.place(new double[]{500}, new double[]{350}, new double[]{2000}, new double[]{15}, 4, AREA);
        assertNull(wide[0]);
        // no label asked (NaN width): none placed
        assertNull(LabelLayout.place(new double[]{1}, new double[]{1}, new double[]{Double.NaN}, new double[]{15}, 4, AREA)[0]);
    }

    /** A crowd: 300 labelled dots in a small corner. Labels are skipped, never stacked. */
    @Test
    void aCrowdKeepsEveryPlacedLabelApartAndOffItsDot() {
        Random rnd = new Random(7);
        int n = 300;
        double[] px = new double[n];
        double[] py = new double[n];
        double[] w = new double[n];
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = 100 + rnd.nextDouble() * 400;
            py[i] = 100 + rnd.nextDouble() * 300;
            w[i] = 40 + rnd.nextInt(180);
            h[i] = 15;
        }
        Box[] b = LabelLayout.place(px, py, w, h, 4, AREA);
        assertReadable(b, px, py, 4);
        long placed = Arrays.stream(b).filter(Objects::nonNull).count();
        assertTrue(placed > 20 && placed < n, "some placed, some left out: " + placed);
        assertNotNull(b[0], "the first (most important) label always finds a place in an open plot");
    }

    @Test
    void aLeaderLineRunsFromTheDotsEdgeToTheNearestPointOfAFarLabel() {
        // a label 30 px right of a dot of radius 4: the line from x 504 to the box's left edge, at the dot's height
        assertArrayEquals(new double[]{504, 300, 530, 300}, LabelLayout.leader(new Box(530, 292, 100, 15), 500, 300, 4), 1e-12);
        // a label right at the dot needs none
        assertNull(LabelLayout.leader(new Box(506, 292, 100, 15), 500, 300, 4));
    }

    @Test
    void equalScaleGivesBothAxesTheSameUnitsPerPixel() {
        // PC1 spans 4, PC2 0.04 (1% of the spread): the plot must not stretch PC2 to its height
        double[] r = LabelLayout.equalScale(-2, 2, -0.02, 0.02, 1000, 500, 0.05);
        double perPixelX = (r[1] - r[0]) / 1000;
        double perPixelY = (r[3] - r[2]) / 500;
        assertEquals(perPixelX, perPixelY, 1e-15);
        // x holds the data with 5% of the span on each side: 4.4 over 1000 pixels; y is centred on the data
        assertArrayEquals(new double[]{-2.2, 2.2, -1.1, 1.1}, r, 1e-12);
        // every point at one spot: a unit square around it (padded), not a range of zero
        assertArrayEquals(new double[]{3 - 0.55, 3 + 0.55, 4 - 0.55, 4 + 0.55}, LabelLayout.equalScale(3, 3, 4, 4, 500, 500, 0.05), 1e-12);
        // the taller data decides: x widens instead
        double[] t = LabelLayout.equalScale(0, 1, 0, 10, 1000, 500, 0);
        assertArrayEquals(new double[]{0.5 - 10, 0.5 + 10, 0, 10}, t, 1e-12);
    }

    @Test
    void ticksAreRoundAndFarEnoughApartForTheirLabels() {
        // 6,250 batches over 900 pixels, labels 40 pixels wide and 40 apart: a step of 1000 (500 would be 72 px < 80)
        assertArrayEquals(new double[]{1000, 2000, 3000, 4000, 5000, 6000}, LabelLayout.ticks(1, 6250, 900, 40, 40, 1));
        // labels 30 wide: 500 (72 px >= 70) is enough
        assertEquals(12, LabelLayout.ticks(1, 6250, 900, 30, 40, 1).length);
        // five epochs: never a fraction of one
        assertArrayEquals(new double[]{1, 2, 3, 4, 5}, LabelLayout.ticks(1, 5, 900, 10, 40, 1));
        double[] t = LabelLayout.ticks(0, 1234567, 800, 60, 40, 1);
        double pixelsApart = (t[1] - t[0]) / 1234567 * 800;
        assertTrue(pixelsApart >= 100, "labels 60 px wide keep 40 px between them: " + pixelsApart);
    }

    /**
     * The real chart, PC2 with 1% of PC1's spread and two movies at one spot: the axes have the
     * same units per pixel, both labels of the coincident dots are drawn, apart and off the dots,
     * and the label pixels are in the PNG where the layout says.
     */
    @Test
    void scatterKeepsTheAxesEqualAndTheLabelsApart(@TempDir Path dir) throws Exception {
        Random rnd = new Random(3);
        int n = 200;
        double[] x = new double[n];
        double[] y = new double[n];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
            y[i] = rnd.nextGaussian() * 0.01;
            labels.add(i < 50 ? "Movie number " + i + " (19" + (50 + i) + ")" : null);
        }
        x[1] = x[0];
        y[1] = y[0];
        labels.set(0, "Shawshank Redemption, The (1994)");
        labels.set(1, "Empire Strikes Back, The (1980)");
        Path png = dir.resolve("s.png");
        Charts.ScatterLayout l = Charts.scatterLayout(png, "t", "PC1", "PC2", x, y, labels);
        assertEquals(l.xPerPixel(), l.yPerPixel(), l.xPerPixel() * 0.01, "same units per pixel on both axes");
        assertTrue((l.range()[3] - l.range()[2]) / (l.range()[1] - l.range()[0]) > 0.5, "PC2's axis spans about as many units as "
                + "PC1's (the plot is 1400 x 1000): " + Arrays.toString(l.range()));
        assertNotNull(l.labels()[0]);
        assertNotNull(l.labels()[1]);
        Box[] boxes = l.labels();
        for (int i = 0; i < n; i++) {
            if (boxes[i] == null) {
                continue;
            }
            assertFalse(boxes[i].touches(l.px()[i], l.py()[i], 4), "label " + i + " off its dot");
            for (int j = i + 1; j < n; j++) {
                assertFalse(boxes[j] != null && boxes[i].intersects(boxes[j]), i + " and " + j);
            }
        }
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1400, img.getWidth());
        int dark = 0;
        Box b = boxes[0];
        for (int yy = (int) b.y(); yy < b.y() + b.h(); yy++) {
            for (int xx = (int) b.x(); xx < b.x() + b.w(); xx++) {
                dark += (img.getRGB(xx, yy) & 0xFFFFFF) == 0x202020 ? 1 : 0;
            }
        }
        assertTrue(dark > 50, "the first label's text is in its box: " + dark + " label pixels");
    }

    @Test
    void aScatterOfPointsAtOneSpotIsDrawn(@TempDir Path dir) throws Exception {
        Charts.ScatterLayout l = Charts.scatterLayout(dir.resolve("one.png"), "t", "PC1", "PC2", new double[]{0, 0, 0},
                new double[]{0, 0, 0}, List.of("a", "b", "c"));
        assertEquals(l.xPerPixel(), l.yPerPixel(), l.xPerPixel() * 0.01);
        assertEquals(3, Arrays.stream(l.labels()).filter(Objects::nonNull).count());
    }

    @Test
    void linesOfBatchesAreDrawn(@TempDir Path dir) throws Exception {
        double[] x = new double[6250];
        double[] y = new double[6250];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = 2 - i / 6250.0;
        }
        Path png = dir.resolve("loss.png");
        Charts.lines(png, "loss", "batch", "loss", Map.of("train", new double[][]{x, y}), Set.of(), false, false);
        assertEquals(1000, ImageIO.read(png.toFile()).getWidth());
    }
}

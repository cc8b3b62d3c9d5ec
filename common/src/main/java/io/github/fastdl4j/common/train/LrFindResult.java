package io.github.fastdl4j.common.train;

import io.github.fastdl4j.common.interpret.Charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The learning-rate finder's curve and suggestions.
 *
 * @param lrs       learning rate of each step
 * @param losses    smoothed loss after each step
 * @param valley    fastai's default suggestion: the middle of the longest falling stretch
 * @param minimum   the rate at the lowest loss divided by 10 (fastai's {@code minimum})
 * @param steep     the rate where the loss falls fastest against log(rate) (fastai's {@code steep}), searched
 *                  in the descent only; NaN when the curve has none (see {@link #steepIndex})
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
        int steep = steepIndex(l, y);
        return new LrFindResult(lrs, losses, l[valleyIndex(y)], l[best] / 10, steep < 0 ? Double.NaN : l[steep]);
    }

    /** Whether {@link #steep} is offered: the curve has a descent (see {@link #steepIndex}). */
    public boolean hasSteep() {
        return !Double.isNaN(steep);
    }

    /** The suggestions in words, e.g. {@code valley 1.20e-03, minimum/10 4.79e-03, steep 2.29e-03}. */
    public String suggestions() {
        String head = String.format(Locale.ROOT, "valley %.2e, minimum/10 %.2e, ", valley, minimum);
        return head + (hasSteep() ? String.format(Locale.ROOT, "steep %.2e", steep)
                : "no steep (the loss has no descent: it never falls clearly below its noise before its minimum)");
    }

    /** Draws loss against learning rate (log scale) with the suggestions marked, as fastai's plot. */
    public void plot(Path png) throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("smoothed loss", new double[][]{lrs, losses});
        series.put(String.format(Locale.ROOT, "valley %.2e", valley), point(valley));
        series.put(String.format(Locale.ROOT, "minimum/10 %.2e", minimum), point(minimum));
        if (hasSteep()) {
            series.put(String.format(Locale.ROOT, "steep %.2e", steep), point(steep));
        }
        Charts.lines(png, "Learning rate finder", "learning rate (log scale)",
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

    /** The least fall, as a share of the loss at the top of the curve, that counts as a descent. */
    static final double DESCENT = 0.02;
    /** ... and in typical steps of the curve (its noise): a fall no bigger than the jitter is none. */
    static final double NOISE_STEPS = 4;

    /**
     * fastai's {@code steep}, the point of the most negative slope of loss against log(rate), but
     * searched in the descent only: from where the loss last stood within a tenth of the drop of
     * its top down to its minimum. fastai searches the whole curve, so a noisy flat start (the
     * smoothed loss of the first steps) can win (1.1e-06 for collab, in the flat start). -1 when
     * the curve has no descent: its minimum is not below the top before it by {@link #DESCENT} of
     * the top and by {@link #NOISE_STEPS} times the median step of the curve up to the minimum.
     */
    static int steepIndex(double[] lrs, double[] losses) {
        int best = -1;
        for (int i = 0; i < losses.length; i++) {
            if (Double.isFinite(losses[i]) && (best < 0 || losses[i] < losses[best])) {
                best = i;
            }
        }
        if (best < 1) {
            return -1;
        }
        int topAt = 0;
        for (int i = 1; i < best; i++) {
            if (losses[i] > losses[topAt]) {
                topAt = i;
            }
        }
        double[] steps = new double[best];
        for (int i = 0; i < best; i++) {
            steps[i] = Math.abs(losses[i + 1] - losses[i]);
        }
        Arrays.sort(steps);
        double jitter = steps[steps.length / 2];
        double drop = losses[topAt] - losses[best];
        if (!(drop > 0 && drop >= DESCENT * Math.abs(losses[topAt]) && drop >= NOISE_STEPS * jitter)) {
            return -1;
        }
        int from = topAt;
        for (int i = topAt; i < best; i++) {
            if (losses[i] >= losses[best] + 0.9 * drop) {
                from = i;
            }
        }
        int steep = from;
        double bestSlope = Double.POSITIVE_INFINITY;
        for (int i = from; i < best; i++) {
            double slope = (losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
            if (slope < bestSlope) {
                bestSlope = slope;
                steep = i;
            }
        }
        return steep;
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

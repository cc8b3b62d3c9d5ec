package io.github.fastdl4j.common.train;

import io.github.fastdl4j.common.interpret.Charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The outcome of a fit.
 *
 * @param epochs     one row per epoch
 * @param batchLosses training loss of every step
 * @param batchLrs   learning rate of every step
 * @param samples    training samples seen
 * @param trainSeconds wall time spent in training steps (validation excluded)
 * @param keptEpoch    the epoch whose weights the model holds after the fit ({@link SaveModel} keeps
 *                     the best), -1 for the last
 * @param stopReason   why the fit ended early (e.g. early stopping), or null
 */
public record FitResult(List<EpochResult> epochs, double[] batchLosses, double[] batchLrs, long samples, double trainSeconds,
                        int keptEpoch, String stopReason) {

    public FitResult(List<EpochResult> epochs, double[] batchLosses, double[] batchLrs, long samples, double trainSeconds) {
        this(epochs, batchLosses, batchLrs, samples, trainSeconds, -1, null);
    }

    /** The last epoch's row. */
    public EpochResult last() {
        return epochs.get(epochs.size() - 1);
    }

    /** The row of the epoch whose weights the model holds: the best one under {@link SaveModel}, else the last. */
    public EpochResult kept() {
        return keptEpoch < 0 ? last() : epochs.stream().filter(r -> r.epoch() == keptEpoch).findFirst().orElse(last());
    }

    /**
     * fastai's {@code learn.recorder.plot_loss()} and the schedule: {@code <prefix>loss.png} (the
     * training loss of every batch, smoothed as fastai's recorder does, and the validation loss at the
     * end of each epoch) and {@code <prefix>lr.png} (the learning rate of every batch), in {@code dir}.
     */
    public void plot(Path dir, String prefix) throws IOException {
        double[] smooth = new double[batchLosses.length];
        double avg = 0;
        for (int i = 0; i < smooth.length; i++) {
            avg = 0.98 * avg + 0.02 * batchLosses[i];
            smooth[i] = avg / (1 - Math.pow(0.98, i + 1)); // debiased, as Recorder.smoothLoss
        }
        int[] shown = plotted(batchLosses.length);
        double[] x = new double[shown.length];
        double[] y = new double[shown.length];
        double[] lr = new double[shown.length];
        for (int i = 0; i < shown.length; i++) {
            x[i] = shown[i] + 1;
            y[i] = smooth[shown[i]];
            lr[i] = batchLrs[shown[i]];
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("train_loss (smoothed)", new double[][]{x, y});
        if (!epochs.isEmpty()) {
            int perEpoch = batchLosses.length / epochs.size();
            double[] ex = new double[epochs.size()];
            double[] ey = new double[epochs.size()];
            for (int i = 0; i < ex.length; i++) {
                ex[i] = (i + 1) * perEpoch;
                ey[i] = epochs.get(i).validLoss();
            }
            series.put("valid_loss (per epoch)", new double[][]{ex, ey});
        }
        Charts.lines(dir.resolve(prefix + "loss.png"), "Training and validation loss",
                "batch", "loss", series, Set.of("valid_loss (per epoch)"), false, false);
        Charts.lines(dir.resolve(prefix + "lr.png"),
                "Learning rate per batch", "batch", "lr", Map.of("lr", new double[][]{x, lr}), false);
    }

    /** The most batches a chart draws: a 100M-rating epoch has 1.4M, and XChart takes minutes over them. */
    static final int MAX_PLOTTED = 4_000;

    /**
     * The batches a chart draws: all of them up to {@link #MAX_PLOTTED}, else evenly spaced ones
     * with the first and the last (the smoothed loss and the schedule change slowly, so the curve
     * looks the same).
     */
    static int[] plotted(int batches) {
        if (batches <= MAX_PLOTTED) {
            return IntStream.range(0, batches).toArray();
        }
        int[] out = new int[MAX_PLOTTED];
        for (int i = 0; i < MAX_PLOTTED; i++) {
            out[i] = (int) Math.round((double) i * (batches - 1) / (MAX_PLOTTED - 1));
        }
        return out;
    }

    /** Training throughput: samples per second of training steps. */
    public double samplesPerSecond() {
        return samples / trainSeconds;
    }
}

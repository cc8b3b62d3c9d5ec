package io.github.fastdl4j.common.train;

import java.util.List;

/**
 * The outcome of a fit.
 *
 * @param epochs     one row per epoch
 * @param batchLosses training loss of every step
 * @param batchLrs   learning rate of every step
 * @param samples    training samples seen
 * @param trainSeconds wall time spent in training steps (validation excluded)
 */
public record FitResult(List<EpochResult> epochs, double[] batchLosses, double[] batchLrs, long samples, double trainSeconds) {

    /** The last epoch's row. */
    public EpochResult last() {
        return epochs.get(epochs.size() - 1);
    }

    /**
     * Writes {@code <prefix>loss.png} (training loss per batch) and {@code <prefix>lr.png} (the
     * learning rate per batch) into {@code dir}.
     */
    public void plot(java.nio.file.Path dir, String prefix) throws java.io.IOException {
        double[] x = new double[batchLosses.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        io.github.fastdl4j.common.interpret.Charts.lines(dir.resolve(prefix + "loss.png"), "Training loss per batch",
                "batch", "loss", java.util.Map.of("train_loss", new double[][]{x, batchLosses}), false);
        io.github.fastdl4j.common.interpret.Charts.lines(dir.resolve(prefix + "lr.png"),
                "One-cycle learning rate per batch", "batch", "lr", java.util.Map.of("lr", new double[][]{x, batchLrs}), false);
    }

    /** Training throughput: samples per second of training steps. */
    public double samplesPerSecond() {
        return samples / trainSeconds;
    }
}

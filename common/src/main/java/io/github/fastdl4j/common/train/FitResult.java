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

    /** Training throughput: samples per second of training steps. */
    public double samplesPerSecond() {
        return samples / trainSeconds;
    }
}

package io.github.fastdl4j.common.train;

import java.util.Map;

/**
 * One row of the metrics table.
 *
 * @param epoch     0-based, as fastai prints it
 * @param trainLoss smoothed training loss at the end of the epoch (fastai's {@code train_loss})
 * @param validLoss loss on the whole validation set, computed by our code on predictions
 * @param metrics   metric values by name, in the learner's order
 * @param seconds   wall time of the epoch, validation included
 */
public record EpochResult(int epoch, double trainLoss, double validLoss, Map<String, Double> metrics, double seconds) {
}

package io.github.fastdl4j.common.train;

import java.util.List;

/**
 * Where a fit stands after some epochs, saved in a checkpoint so that a killed run can continue:
 * the epochs done and their rows, the steps taken, and the recorder's history.
 *
 * @param epochsDone   epochs completed (and validated)
 * @param iteration    steps taken
 * @param epochs       the rows of the epochs done
 * @param batchLosses  training loss of every step so far
 * @param batchLrs     learning rate of every step so far
 * @param samples      training samples seen
 * @param trainSeconds time spent in training steps
 * @param smoothAvg    the recorder's moving average (before debiasing)
 * @param smoothCount  steps the moving average has seen
 */
public record FitState(int epochsDone, int iteration, List<EpochResult> epochs, double[] batchLosses, double[] batchLrs,
                       long samples, double trainSeconds, double smoothAvg, int smoothCount) {
}

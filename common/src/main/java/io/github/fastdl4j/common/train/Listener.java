package io.github.fastdl4j.common.train;

/**
 * A piece of the training loop, like DJL's {@code TrainingListener} or a fastai callback: the
 * one-cycle schedule, the recorder, the progress table, the NaN stop are each one listener.
 */
public interface Listener {

    default void onFitStart(TrainingState state) {
    }

    default void onEpochStart(TrainingState state) {
    }

    /** Before a step: schedules set {@code state.lr(...)} and {@code state.beta1(...)} here. */
    default void onBatchStart(TrainingState state) {
    }

    /** After a step: {@code state.batchLoss()} holds its loss. */
    default void onBatchEnd(TrainingState state) {
    }

    default void onEpochEnd(TrainingState state, EpochResult result) {
    }

    default void onFitEnd(TrainingState state) {
    }
}

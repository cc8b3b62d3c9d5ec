package io.github.fastdl4j.common.train;

/** Stops training with a clear message as soon as a step's loss is NaN or infinite. */
public final class DivergenceStop implements Listener {

    @Override
    public void onBatchEnd(TrainingState s) {
        if (!Double.isFinite(s.batchLoss())) {
            throw new TrainingDivergedException(String.format(
                    "training stopped: the loss became %s at epoch %d, batch %d (learning rate %.3g). "
                            + "Try a lower learning rate (lrFind suggests one).",
                    s.batchLoss(), s.epoch(), s.batchInEpoch(), s.lr()));
        }
    }
}

package io.github.fastdl4j.common.train;

import java.util.Locale;

/** Stops training with a clear message as soon as a step's loss is NaN or infinite. */
public final class DivergenceStop implements Listener {

    @Override
    public void onBatchEnd(TrainingState s) {
        if (!Double.isFinite(s.batchLoss())) {
            if (s.lr() * s.wd() >= 1) {
                throw new TrainingDivergedException(String.format(Locale.ROOT,
                        "training stopped: the loss became %s at epoch %d, batch %d: weight decay %.3g times the learning rate "
                                + "%.3g is %.3g, which wipes out the weights at every step; lower --wd", s.batchLoss(), s.epoch(),
                        s.batchInEpoch(), s.wd(), s.lr(), s.wd() * s.lr()));
            }
            throw new TrainingDivergedException(String.format(
                    "training stopped: the loss became %s at epoch %d, batch %d (learning rate %.3g). "
                            + "Try a lower learning rate (lrFind suggests one).",
                    s.batchLoss(), s.epoch(), s.batchInEpoch(), s.lr()));
        }
    }
}

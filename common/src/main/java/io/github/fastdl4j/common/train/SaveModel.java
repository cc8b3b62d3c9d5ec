package io.github.fastdl4j.common.train;

import java.util.Locale;

/**
 * fastai's {@code SaveModelCallback(monitor)} keeping the best epoch: whenever the monitored value
 * improves, the weights are copied; when the fit ends the best copy is put back, so the model (and
 * what is saved from it) is the best epoch's rather than the last one's. {@link FitResult#kept()}
 * says which epoch that is.
 */
public final class SaveModel extends TrackerListener {

    private final Trainable model;
    private Trainable.Snapshot best;

    /** Keeps the epoch with the lowest {@code valid_loss}. */
    public SaveModel(Trainable model) {
        this(model, "valid_loss");
    }

    public SaveModel(Trainable model, String monitor) {
        super(monitor, 0);
        this.model = model;
    }

    @Override
    public void onFitStart(TrainingState s) {
        reset();
        best = null;
    }

    @Override
    public void onEpochEnd(TrainingState s, EpochResult r) {
        if (improved(r)) {
            best = model.snapshot();
        }
    }

    @Override
    public void onFitEnd(TrainingState s) {
        if (best != null && bestEpoch() != s.lastEpoch()) {
            model.restore(best);
            s.keep(bestEpoch(), String.format(Locale.ROOT, "kept the weights of epoch %d (%s %.6f)", bestEpoch(),
                    monitor.name(), best()));
        }
        best = null;
    }
}

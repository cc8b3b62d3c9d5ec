package io.github.fastdl4j.common.train;

import java.util.Locale;

/**
 * fastai's {@code EarlyStoppingCallback(monitor, min_delta, patience)}: stops the fit when the
 * monitored value has not improved for {@code patience} epochs, and says so as fastai does
 * ("No improvement since epoch N: early stopping", N the best epoch as the table numbers it).
 */
public final class EarlyStopping extends TrackerListener {

    private final int patience;

    /** On {@code valid_loss}. */
    public EarlyStopping(int patience) {
        this("valid_loss", 0, patience);
    }

    public EarlyStopping(String monitor, double minDelta, int patience) {
        super(monitor, minDelta);
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        this.patience = patience;
    }

    @Override
    public void onFitStart(TrainingState s) {
        reset();
        for (EpochResult r : s.rows()) { // a resumed fit has epochs behind it
            onEpochEnd(s, r);
        }
    }

    @Override
    public void onEpochEnd(TrainingState s, EpochResult r) {
        if (!improved(r) && sinceBest() >= patience) {
            String why = bestEpoch() < 0
                    ? String.format(Locale.ROOT, "No improvement in %d epochs (%s never finite): early stopping",
                    patience, monitor.name())
                    : String.format(Locale.ROOT, "No improvement since epoch %d: early stopping (best %s %.6f at "
                    + "epoch %d; none better in the %d epochs after it, --early-stop %d)", bestEpoch(), monitor.name(),
                    best(), bestEpoch(), sinceBest(), patience);
            s.requestStop(why);
            s.note(why);
        }
    }
}

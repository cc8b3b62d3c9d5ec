package io.github.fastdl4j.common.train;

/**
 * fastai's {@code EarlyStoppingCallback(monitor, min_delta, patience)}: stops the fit when the
 * monitored value has not improved for {@code patience} epochs.
 */
public final class EarlyStopping implements Listener {

    private final Monitor monitor;
    private final int patience;
    private double best;
    private int wait;

    /** On {@code valid_loss}. */
    public EarlyStopping(int patience) {
        this("valid_loss", 0, patience);
    }

    public EarlyStopping(String monitor, double minDelta, int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        this.monitor = Monitor.of(monitor, minDelta);
        this.patience = patience;
    }

    @Override
    public void onFitStart(TrainingState s) {
        best = monitor.worst();
        wait = 0;
        for (EpochResult r : s.rows()) { // a resumed fit has epochs behind it
            onEpochEnd(s, r);
        }
    }

    @Override
    public void onEpochEnd(TrainingState s, EpochResult r) {
        double v = monitor.value(r);
        if (monitor.improves(v, best)) {
            best = v;
            wait = 0;
        } else if (++wait >= patience) {
            s.requestStop(String.format(java.util.Locale.ROOT, "early stop: no improvement of %s in %d epochs (best %.6f)",
                    monitor.name(), patience, best));
        }
    }
}

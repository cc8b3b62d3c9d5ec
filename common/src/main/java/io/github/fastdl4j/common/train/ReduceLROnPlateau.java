package io.github.fastdl4j.common.train;

/**
 * fastai's {@code ReduceLROnPlateau(monitor, patience, factor)}: when the monitored value has not
 * improved for {@code patience} epochs, every later learning rate is divided by {@code factor}
 * (on top of the schedule, so it also works with one-cycle).
 */
public final class ReduceLROnPlateau implements Listener {

    private final Monitor monitor;
    private final int patience;
    private final double factor;
    private double best;
    private int wait;
    private double scale = 1;

    /** On {@code valid_loss}, dividing by 10 as fastai's default. */
    public ReduceLROnPlateau(int patience) {
        this("valid_loss", patience, 10);
    }

    public ReduceLROnPlateau(String monitor, int patience, double factor) {
        if (patience < 1 || !(factor > 1)) {
            throw new IllegalArgumentException("patience >= 1 and factor > 1 needed, got " + patience + ", " + factor);
        }
        this.monitor = Monitor.of(monitor, 0);
        this.patience = patience;
        this.factor = factor;
    }

    @Override
    public void onFitStart(TrainingState s) {
        best = monitor.worst();
        wait = 0;
        scale = 1;
        for (EpochResult r : s.rows()) {
            onEpochEnd(s, r);
        }
    }

    @Override
    public void onBatchStart(TrainingState s) {
        s.lr(s.lr() * scale); // runs after the schedule has set this step's rate
    }

    @Override
    public void onEpochEnd(TrainingState s, EpochResult r) {
        double v = monitor.value(r);
        if (monitor.improves(v, best)) {
            best = v;
            wait = 0;
        } else if (++wait >= patience) {
            scale /= factor;
            wait = 0;
            s.note(String.format(java.util.Locale.ROOT, "reduced the learning rate by %.0fx (no improvement of %s in %d epochs)",
                    factor, monitor.name(), patience));
        }
    }

    /** The factor every rate is multiplied by now. */
    public double scale() {
        return scale;
    }
}

package io.github.fastdl4j.common.train;

import java.util.Locale;

/**
 * fastai's {@code ReduceLROnPlateau(monitor, patience, factor)}: when the monitored value has not
 * improved for {@code patience} epochs, every later learning rate is divided by {@code factor}
 * (on top of the schedule, so it also works with one-cycle).
 */
public final class ReduceLROnPlateau extends TrackerListener {

    private final int patience;
    private final double factor;
    private double scale = 1;

    /** On {@code valid_loss}, dividing by 10 as fastai's default. */
    public ReduceLROnPlateau(int patience) {
        this("valid_loss", patience, 10);
    }

    public ReduceLROnPlateau(String monitor, int patience, double factor) {
        super(monitor, 0);
        if (patience < 1 || !(factor > 1)) {
            throw new IllegalArgumentException("patience >= 1 and factor > 1 needed, got " + patience + ", " + factor);
        }
        this.patience = patience;
        this.factor = factor;
    }

    @Override
    public void onFitStart(TrainingState s) {
        reset();
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
        if (!improved(r) && sinceBest() >= patience) {
            scale /= factor;
            restartPatience();
            s.note(String.format(Locale.ROOT, "reduced the learning rate by %.0fx (no improvement of %s in %d epochs)",
                    factor, monitor.name(), patience));
        }
    }

    /** The factor every rate is multiplied by now. */
    public double scale() {
        return scale;
    }
}

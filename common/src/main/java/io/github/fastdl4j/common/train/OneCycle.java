package io.github.fastdl4j.common.train;

/**
 * fastai's {@code fit_one_cycle} schedule, per batch: the learning rate warms up for
 * {@code pctStart} (25%) of the steps from {@code lrMax/divFactor} to {@code lrMax} along a cosine,
 * then anneals along a cosine to {@code lrMax/divFinal}; beta1 (momentum) moves the opposite way,
 * 0.95 -> 0.85 -> 0.95.
 */
public final class OneCycle implements Listener {

    private final double lrMax;
    private final double pctStart;
    private final double divFactor;
    private final double divFinal;
    private final double momHigh;
    private final double momLow;

    /** fastai's defaults: pct_start 0.25, div 25, div_final 1e5, moms (0.95, 0.85, 0.95). */
    public OneCycle(double lrMax) {
        this(lrMax, 0.25, 25, 1e5, 0.95, 0.85);
    }

    public OneCycle(double lrMax, double pctStart, double divFactor, double divFinal, double momHigh, double momLow) {
        this.lrMax = lrMax;
        this.pctStart = pctStart;
        this.divFactor = divFactor;
        this.divFinal = divFinal;
        this.momHigh = momHigh;
        this.momLow = momLow;
    }

    /** fastai's {@code SchedCos(start, end)} at position {@code pos} in [0, 1]. */
    static double cos(double start, double end, double pos) {
        return start + (1 + Math.cos(Math.PI * (1 - pos))) * (end - start) / 2;
    }

    /** Learning rate at a fraction {@code pos} of training. */
    public double lrAt(double pos) {
        return pos < pctStart
                ? cos(lrMax / divFactor, lrMax, pos / pctStart)
                : cos(lrMax, lrMax / divFinal, (pos - pctStart) / (1 - pctStart));
    }

    /** beta1 at a fraction {@code pos} of training. */
    public double beta1At(double pos) {
        return pos < pctStart
                ? cos(momHigh, momLow, pos / pctStart)
                : cos(momLow, momHigh, (pos - pctStart) / (1 - pctStart));
    }

    @Override
    public void onBatchStart(TrainingState s) {
        double pos = s.progress();
        s.lr(lrAt(pos));
        s.beta1(beta1At(pos));
    }
}

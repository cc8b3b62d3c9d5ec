package io.github.fastdl4j.common.train;

import java.util.ArrayList;
import java.util.List;

/**
 * fastai's learning-rate finder as a listener: the rate grows exponentially from {@code start}
 * to {@code end} over {@code numIt} steps; it stops early when the smoothed loss exceeds four
 * times the best seen or is not finite.
 */
public final class LrFinder implements Listener {

    private final double start;
    private final double end;
    private final int numIt;
    private final Recorder smoother = new Recorder();
    private final List<Double> lrs = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private double best = Double.POSITIVE_INFINITY;

    public LrFinder(double start, double end, int numIt) {
        this.start = start;
        this.end = end;
        this.numIt = numIt;
    }

    @Override
    public void onBatchStart(TrainingState s) {
        s.lr(start * Math.pow(end / start, (double) s.iteration() / numIt));
    }

    @Override
    public void onBatchEnd(TrainingState s) {
        smoother.onBatchEnd(s);
        double smooth = smoother.smoothLoss();
        lrs.add(s.lr());
        losses.add(smooth);
        if (!Double.isFinite(smooth) || smooth > 4 * best) {
            s.requestStop("loss diverged");
            return;
        }
        best = Math.min(best, smooth);
        if (lrs.size() >= numIt) {
            s.requestStop("done");
        }
    }

    /** The curve and fastai's suggestions. */
    public LrFindResult result() {
        double[] l = lrs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = losses.stream().mapToDouble(Double::doubleValue).toArray();
        return LrFindResult.of(l, y, numIt);
    }
}

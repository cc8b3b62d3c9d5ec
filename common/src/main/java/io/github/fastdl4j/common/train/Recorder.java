package io.github.fastdl4j.common.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every step's loss and learning rate, and fastai's smoothed training loss
 * (exponential moving average with beta 0.98, debiased).
 */
public final class Recorder implements Listener {

    private static final double BETA = 0.98;

    private final List<Double> losses = new ArrayList<>();
    private final List<Double> lrs = new ArrayList<>();
    private double avg;
    private int count;

    @Override
    public void onBatchEnd(TrainingState s) {
        losses.add(s.batchLoss());
        lrs.add(s.lr());
        count++;
        avg = BETA * avg + (1 - BETA) * s.batchLoss();
    }

    /** Continues the history of a checkpointed fit. */
    void restore(FitState f) {
        losses.clear();
        lrs.clear();
        for (double v : f.batchLosses()) {
            losses.add(v);
        }
        for (double v : f.batchLrs()) {
            lrs.add(v);
        }
        avg = f.smoothAvg();
        count = f.smoothCount();
    }

    double average() {
        return avg;
    }

    int count() {
        return count;
    }

    /** The debiased smoothed loss so far. */
    public double smoothLoss() {
        return count == 0 ? Double.NaN : avg / (1 - Math.pow(BETA, count));
    }

    public double[] losses() {
        return losses.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public double[] lrs() {
        return lrs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

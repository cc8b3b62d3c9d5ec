package io.github.fastdl4j.common.train;

/**
 * fastai's {@code TrackerCallback(monitor, comp, min_delta)}: the part that {@link EarlyStopping},
 * {@link ReduceLROnPlateau} and {@link SaveModel} share. It watches one value at the end of each
 * epoch ({@code valid_loss} or a metric, lower or higher better as {@link Monitor} says), and keeps
 * the best value so far, the epoch it came from and the epochs since; the subclasses decide what
 * to do with that (stop, lower the rate, keep the weights).
 */
abstract class TrackerListener implements Listener {

    final Monitor monitor;
    private double best;
    private int bestEpoch;
    private int sinceBest;

    TrackerListener(String monitor, double minDelta) {
        this.monitor = Monitor.of(monitor, minDelta);
        reset();
    }

    /** Forgets the best so far: each fit starts afresh. */
    final void reset() {
        best = monitor.worst();
        bestEpoch = -1;
        sinceBest = 0;
    }

    /**
     * Takes the epoch's monitored value: true when it improves on the best so far (which it then
     * becomes, with the epochs since back at 0); otherwise one more epoch since the best.
     */
    final boolean improved(EpochResult r) {
        double v = monitor.value(r);
        if (monitor.improves(v, best)) {
            best = v;
            bestEpoch = r.epoch();
            sinceBest = 0;
            return true;
        }
        sinceBest++;
        return false;
    }

    /** Starts counting the epochs since the best again, keeping the best (fastai's ReduceLROnPlateau does). */
    final void restartPatience() {
        sinceBest = 0;
    }

    /** The best value so far; the monitor's worst (an infinity) before any finite one. */
    final double best() {
        return best;
    }

    /** The epoch of the best value, -1 before any. */
    final int bestEpoch() {
        return bestEpoch;
    }

    /** Epochs since the best value (or since the start, or since {@link #restartPatience}). */
    final int sinceBest() {
        return sinceBest;
    }
}

package io.github.fastdl4j.common.train;

/**
 * What a listener watches at the end of each epoch: {@code valid_loss} or a metric by name, and
 * which way is better (lower for losses and errors, higher for accuracy), as fastai's
 * {@code TrackerCallback}.
 */
record Monitor(String name, boolean lowerIsBetter, double minDelta) {

    static Monitor of(String name, double minDelta) {
        boolean higher = name.equals("accuracy") || name.startsWith("ndcg") || name.startsWith("precision")
                || name.startsWith("recall") || name.startsWith("hit") || name.startsWith("map") || name.equals("coverage");
        return new Monitor(name, !higher, minDelta);
    }

    double value(EpochResult r) {
        if (name.equals("valid_loss")) {
            return r.validLoss();
        }
        Double v = r.metrics().get(name);
        if (v == null) {
            throw new IllegalArgumentException("cannot monitor '" + name + "': the epochs report valid_loss and "
                    + r.metrics().keySet());
        }
        return v;
    }

    /** Whether {@code v} improves on {@code best} by more than minDelta. */
    boolean improves(double v, double best) {
        if (!Double.isFinite(v)) {
            return false;
        }
        return lowerIsBetter ? v < best - minDelta : v > best + minDelta;
    }

    double worst() {
        return lowerIsBetter ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
}

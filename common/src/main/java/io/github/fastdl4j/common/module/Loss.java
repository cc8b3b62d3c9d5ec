package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss on predictions, with its gradient for models trained from scratch. It lives beside
 * {@link Module} because gradient checks and modules need it and training ({@code common.train})
 * builds on both; the implementations are in {@code io.github.fastdl4j.common.train.Losses}.
 */
public interface Loss {

    /** Short name, e.g. {@code mse}. */
    String name();

    /** Mean loss over the batch. */
    double value(INDArray predictions, INDArray targets);

    /** dLoss/dPredictions of {@link #value} (already divided by the batch size). */
    INDArray gradient(INDArray predictions, INDArray targets);

    /** Both at once (one training step needs both; losses may fuse them into one pass). */
    default ValueAndGradient valueAndGradient(INDArray predictions, INDArray targets) {
        return new ValueAndGradient(value(predictions, targets), gradient(predictions, targets));
    }

    /**
     * A loss value and its gradient.
     *
     * @param value    mean loss over the batch
     * @param gradient dLoss/dPredictions
     */
    record ValueAndGradient(double value, INDArray gradient) {
    }
}

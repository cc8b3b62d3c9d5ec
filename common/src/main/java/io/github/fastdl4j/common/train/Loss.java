package io.github.fastdl4j.common.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A loss on predictions, with its gradient for models trained from scratch. */
public interface Loss {

    /** Short name, e.g. {@code mse}. */
    String name();

    /** Mean loss over the batch. */
    double value(INDArray predictions, INDArray targets);

    /** dLoss/dPredictions of {@link #value} (already divided by the batch size). */
    INDArray gradient(INDArray predictions, INDArray targets);
}

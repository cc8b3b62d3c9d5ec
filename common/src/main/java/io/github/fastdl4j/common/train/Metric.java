package io.github.fastdl4j.common.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A metric computed by our code on the predictions for the whole validation set. */
public interface Metric {

    /** Column name in the metrics table and metrics.json, e.g. {@code exp_rmspe}. */
    String name();

    double compute(INDArray predictions, INDArray targets);
}

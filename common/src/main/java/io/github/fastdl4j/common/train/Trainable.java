package io.github.fastdl4j.common.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.IOException;
import java.util.zip.ZipOutputStream;

/**
 * What the {@link Learner} trains: a DL4J network ({@link NetworkModel}) or a from-scratch
 * {@link io.github.fastdl4j.common.module.Module} ({@link ModuleModel}).
 */
public interface Trainable {

    /**
     * One optimisation step on a batch.
     *
     * @return the batch's training loss
     */
    double trainStep(MultiDataSet batch, StepSettings settings);

    /** Predictions for a batch's features, in inference mode. */
    INDArray predict(INDArray[] features);

    /** A copy of the weights and optimiser state, for {@link #restore} (used by lrFind). */
    Object snapshot();

    void restore(Object snapshot);

    /** Writes the model's entries (network or parameters) into a model zip. */
    void writeTo(ZipOutputStream zip) throws IOException;

    /** Human-readable summary (type, parameter count). */
    String describe();

    /**
     * Hyper-parameters of one step, set by the schedule listeners.
     *
     * @param lr    learning rate
     * @param wd    decoupled weight decay
     * @param beta1 Adam's first-moment decay (fastai's momentum, cycled by one-cycle)
     * @param epoch current epoch (0-based)
     */
    record StepSettings(double lr, double wd, double beta1, int epoch) {
    }
}

package io.github.fastdl4j.common.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.IOException;
import java.util.Set;

/**
 * What the {@link Learner} trains, whatever runs it: a from-scratch
 * {@link io.github.fastdl4j.common.module.Module} ({@link ModuleModel}) or a DL4J network
 * ({@code io.github.fastdl4j.common.dl4j.NetworkModel}). The seam between the two engines: code
 * above it (learners, model bundles, interpretation) never casts to an engine's class, and each
 * engine writes and reads its own entries of a model zip.
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

    /**
     * Whether {@link #predict} gives a classifier's probabilities (the network ends in a softmax)
     * rather than logits or values: what picks the cross-entropy ({@link Losses#crossEntropy}) and
     * whether a softmax is still to be applied ({@link Losses#probabilities}).
     */
    boolean outputsProbabilities();

    /** A copy of the weights and optimiser state, for {@link #restore} (used by lrFind and SaveModel). */
    Snapshot snapshot();

    /** Puts back what {@link #snapshot} took from this model; another model's snapshot is refused. */
    void restore(Snapshot snapshot);

    /** Writes the model's own entries (its parameters) into a model zip. */
    void save(ModelArchive.Writer out) throws IOException;

    /**
     * Reads the entries {@link #save} wrote into this freshly built model, checking every array's
     * shape against the model's own; a mismatch or a missing entry is a
     * {@link io.github.fastdl4j.common.data.BadInputException} naming the file.
     */
    void load(ModelArchive in);

    /** Writes the optimiser's state (moments, step count) for a checkpoint, beside {@link #save}'s entries. */
    void saveOptimizer(ModelArchive.Writer out) throws IOException;

    /** Reads {@link #saveOptimizer}'s entries back, after {@link #load}, so that training continues where it stopped. */
    void loadOptimizer(ModelArchive in);

    /** Whether a model zip entry is one of this model's own (everything else is refused on load). */
    boolean ownsEntry(String name);

    /**
     * A weight array by its plain name (a module's parameter or buffer name; for a DL4J network,
     * the name registered where it was built, never DL4J's {@code layer/param} key), current and in
     * place: what interpretation reads (embeddings, biases).
     */
    INDArray weights(String name);

    /** The names {@link #weights} answers to. */
    Set<String> weightNames();

    /** fastai's {@code learn.summary()} for a sample batch (rows of layers or parameters, shapes, counts). */
    ModelSummary summary(INDArray[] sample);

    /** Human-readable summary (type, parameter count). */
    String describe();

    /** What {@link #snapshot} returns: each engine's own record of weights and optimiser state. */
    interface Snapshot {
    }

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

package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * A model written from scratch, the lesson's "neural net from the foundations": named
 * {@link Parameter}s, a forward pass and a hand-written backward pass, each a few batched ND4J
 * operations (or tight loops over ND4J buffers). It exists beside DL4J's networks because DL4J's
 * per-layer and per-op overhead caps small models far below what the arithmetic allows.
 *
 * <p>Contract, as in PyTorch: {@link #forward} remembers what {@link #backward} needs;
 * {@code backward} is called at most once after each training forward and <em>adds</em> to the
 * parameters' gradients, which the optimiser ({@link AdamW}) zeroes after each step.
 */
public interface Module {

    /** All trainable parameters, in a fixed order. */
    List<Parameter> parameters();

    /**
     * Arrays saved with the parameters but never trained (batchnorm's running statistics), in a
     * fixed order; none by default.
     */
    default List<Buffer> buffers() {
        return List.of();
    }

    /**
     * Where the module's own random generators stand (dropout masks, see {@link RestorableRandom}),
     * saved in a checkpoint so that a resumed run draws what the uninterrupted run would have;
     * empty for a module that draws nothing.
     */
    default long[] randomState() {
        return new long[0];
    }

    /** Continues the generators from a {@link #randomState()} of this module. */
    default void randomState(long[] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no random generator to restore");
        }
    }

    /** A parameter by name. */
    default Parameter parameter(String name) {
        return parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no parameter '" + name + "' in " + getClass().getSimpleName()
                        + "; have " + parameters()));
    }

    /**
     * The output for a batch.
     *
     * @param inputs   the batch's input arrays (e.g. user and movie indices)
     * @param training true when a backward pass follows (dropout, batch statistics)
     */
    INDArray forward(INDArray[] inputs, boolean training);

    /** Given dLoss/dOutput of the last training forward, adds dLoss/dParameter to every gradient. */
    void backward(INDArray gradOutput);

    /**
     * fastai's {@code summary} of the module: each layer with its output shape for
     * {@code sample}'s batch and its trainable values, in order. Empty (the default) when the module
     * has no layer view; the summary then lists its parameters.
     *
     * @param sample a batch of inputs, as {@link #forward} takes (only their shapes are used)
     */
    default List<LayerSummary> layers(INDArray[] sample) {
        return List.of();
    }

    /** Total number of trainable values. */
    default long parameterCount() {
        return parameters().stream().mapToLong(Parameter::length).sum();
    }
}

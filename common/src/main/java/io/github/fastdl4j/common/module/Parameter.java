package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named, trainable array and its gradient, like PyTorch's {@code nn.Parameter}: the value is
 * changed in place by the optimiser, the gradient is written by the module's backward pass.
 * Arrays that are saved with the weights but never trained (batchnorm's running statistics) are
 * {@link Buffer}s; embedding tables whose rows an optimiser may update lazily are
 * {@link EmbeddingTable}s, which own their weight parameter.
 */
public final class Parameter {

    private final String name;
    private final INDArray value;
    private final INDArray grad;
    private final boolean decay;
    private final EmbeddingTable table; // the row-sparse table this is the weight of, or null

    /**
     * @param name  unique name within its module, e.g. {@code movie_bias}
     * @param value the initial value (kept, not copied)
     * @param decay whether weight decay applies (fastai leaves biases of batchnorm out; we let
     *              each module choose)
     */
    public Parameter(String name, INDArray value, boolean decay) {
        this(name, value, decay, null);
    }

    Parameter(String name, INDArray value, boolean decay, EmbeddingTable table) {
        this.name = Objects.requireNonNull(name);
        this.value = Objects.requireNonNull(value);
        this.grad = Nd4j.zeros(value.dataType(), value.shape());
        this.decay = decay;
        this.table = table;
    }

    /** The row-sparse embedding table this is the weight of (its rows may be updated lazily), or null. */
    EmbeddingTable sparseTable() {
        return table;
    }

    public String name() {
        return name;
    }

    /** The value, updated in place by training. */
    public INDArray value() {
        return value;
    }

    /** The gradient of the loss with respect to the value, written by {@link Module#backward}. */
    public INDArray grad() {
        return grad;
    }

    public boolean decay() {
        return decay;
    }

    /** The shape, like {@code model.movie_bias.shape} in PyTorch. */
    public long[] shape() {
        return value.shape();
    }

    public long length() {
        return value.length();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape());
    }
}

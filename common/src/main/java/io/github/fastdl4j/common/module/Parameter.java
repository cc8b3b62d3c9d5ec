package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named, trainable array and its gradient, like PyTorch's {@code nn.Parameter}: the value is
 * changed in place by the optimiser, the gradient is written by the module's backward pass.
 */
public final class Parameter {

    private final String name;
    private final INDArray value;
    private final INDArray grad;
    private final boolean decay;

    /**
     * @param name  unique name within its module, e.g. {@code movie_bias}
     * @param value the initial value (kept, not copied)
     * @param decay whether weight decay applies (fastai leaves biases of batchnorm out; we let
     *              each module choose)
     */
    public Parameter(String name, INDArray value, boolean decay) {
        this.name = Objects.requireNonNull(name);
        this.value = Objects.requireNonNull(value);
        this.grad = Nd4j.zeros(value.dataType(), value.shape());
        this.decay = decay;
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

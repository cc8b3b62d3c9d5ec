package io.github.fastdl4j.common.dl4j;

import io.github.fastdl4j.common.module.Activations;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * fastai's {@code sigmoid_range(x, low, high) = sigmoid(x) * (high - low) + low} as a DL4J
 * activation, so a network's output stays in a range such as ratings (0, 5.5). The range is a
 * bit wider than the data's (fastai uses 5.5 for 1..5 stars) because a sigmoid only reaches its
 * ends at infinity.
 */
public class SigmoidRange extends BaseActivationFunction {

    /** Lower end (public, for DL4J's JSON configuration). */
    public double low;
    /** Upper end. */
    public double high;

    /** For JSON deserialisation. */
    public SigmoidRange() {
        this(0, 1);
    }

    public SigmoidRange(double low, double high) {
        if (!(high > low)) {
            throw new IllegalArgumentException("y range needs high > low, got (" + low + ", " + high + ")");
        }
        this.low = low;
        this.high = high;
    }

    /** The function on a scalar (the from-scratch modules' own copy, {@link Activations#sigmoidRange}). */
    public static double apply(double x, double low, double high) {
        return Activations.sigmoidRange(x, low, high);
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        Transforms.sigmoid(in, false);
        return in.muli(high - low).addi(low);
    }

    /**
     * The gradient as a new array. DL4J's own activations overwrite {@code in} with it, but a
     * {@code LossLayer} computes its score from that same array right after backprop (LossL2 passes
     * the layer's input, not a copy): the training score then applied sigmoid_range to a gradient
     * and reported ~8 for an MSE of ~0.8. Leaving {@code in} alone keeps the score right.
     */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray s = Transforms.sigmoid(in, true);
        // d/dx = (high - low) * s * (1 - s)
        INDArray d = s.mul(s.rsub(1)).muli(high - low);
        return new Pair<>(d.muli(epsilon), null);
    }

    @Override
    public String toString() {
        return "sigmoid_range(" + low + ", " + high + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigmoidRange s && s.low == low && s.high == high;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(low) * 31 + Double.hashCode(high);
    }
}

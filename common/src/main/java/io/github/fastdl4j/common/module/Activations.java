package io.github.fastdl4j.common.module;

/**
 * fastai's {@code sigmoid_range(x, low, high) = sigmoid(x) * (high - low) + low} and its
 * derivative, on scalars: the one copy that every from-scratch module (and the DL4J activation
 * {@code io.github.fastdl4j.common.dl4j.SigmoidRange}, and fold-in predictions) calls. Scalars
 * rather than whole arrays because the modules fuse the function into their own loops over the
 * batch (a dot product, a hidden layer): a separate pass over an array would cost more than the
 * function itself. The JIT inlines these static methods, so the fused loops stay as fast.
 */
public final class Activations {

    private Activations() {
    }

    /** The logistic function {@code 1 / (1 + exp(-x))}. */
    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** {@code sigmoid_range(x, low, high)}. */
    public static double sigmoidRange(double x, double low, double high) {
        return scaleToRange(sigmoid(x), low, high);
    }

    /** {@code sigmoid_range} given {@code s = sigmoid(x)} (kept by a forward pass for its backward). */
    public static double scaleToRange(double s, double low, double high) {
        return low + (high - low) * s;
    }

    /**
     * sigmoid_range's backward: dL/dx given dL/dy and {@code s = sigmoid(x)}, as
     * {@code dy (high - low) s (1 - s)}.
     */
    public static double sigmoidRangeBackward(double dy, double s, double low, double high) {
        return dy * (high - low) * s * (1 - s);
    }
}

package io.github.fastdl4j.vision.model.fast;

/**
 * Where a window goes at the edges. {@link #TORCH}: PyTorch's and fastai's, {@code k / 2} on
 * each side of a convolution ({@code floor((in + 2 (k/2) - k) / s) + 1} outputs) and none for a
 * pooling window; {@link #SAME}: DL4J's (and TensorFlow's) {@code ConvolutionMode.Same},
 * {@code ceil(in / s)} outputs, the padding split with the odd pixel on the right and bottom.
 * The two agree for odd kernels at stride 1; at stride 2 on an even size the same taps are
 * shifted by a pixel.
 */
public enum Padding {
    TORCH, SAME;

    /** Outputs along one side of {@code in} pixels. */
    int out(int in, int k, int stride, boolean pooling) {
        if (this == SAME) {
            return (in + stride - 1) / stride;
        }
        int pad = pooling ? 0 : k / 2;
        return (in + 2 * pad - k) / stride + 1;
    }

    /** {left, right} padding along one side. */
    long[] pads(int in, int k, int stride, boolean pooling) {
        if (this == SAME) {
            int o = out(in, k, stride, pooling);
            int total = Math.max((o - 1) * stride + k - in, 0);
            return new long[]{total / 2, total - total / 2};
        }
        int pad = pooling ? 0 : k / 2;
        // the right padding actually reached by the last window (oneDNN checks the sizes add up)
        int o = out(in, k, stride, pooling);
        int right = (o - 1) * stride + k - in - pad;
        return new long[]{pad, Math.max(right, 0)};
    }
}

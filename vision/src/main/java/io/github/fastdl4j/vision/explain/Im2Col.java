package io.github.fastdl4j.vision.explain;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution written from scratch as the lesson explains it: unfold every receptive field of
 * the input into one row ("im2col"), then a single matrix multiply with the flattened kernels
 * does all the dot products at once. Works for any kernel size, stride, padding and channel
 * count; checked against DL4J's {@code ConvolutionLayer} in the tests.
 */
public final class Im2Col {

    private Im2Col() {
    }

    /** Output size along one axis: floor((in + 2 pad - k) / stride) + 1. */
    public static int outSize(int in, int k, int stride, int pad) {
        return (in + 2 * pad - k) / stride + 1;
    }

    /**
     * The patches of {@code input} [n, c, h, w] as rows: [n * oh * ow, c * kh * kw], row
     * (image, y, x), columns in the order (channel, ky, kx) of a flattened kernel; zero padding.
     */
    public static INDArray unfold(INDArray input, int kh, int kw, int stride, int pad) {
        long[] s = input.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int oh = outSize(h, kh, stride, pad);
        int ow = outSize(w, kw, stride, pad);
        double[] in = input.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int cols = c * kh * kw;
        double[] out = new double[n * oh * ow * cols];
        int row = 0;
        for (int img = 0; img < n; img++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++, row++) {
                    int col = 0;
                    for (int ch = 0; ch < c; ch++) {
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = y * stride + ky - pad;
                            for (int kx = 0; kx < kw; kx++, col++) {
                                int ix = x * stride + kx - pad;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    out[row * cols + col] = in[((img * c + ch) * h + iy) * w + ix];
                                }
                            }
                        }
                    }
                }
            }
        }
        return Nd4j.create(out, new long[]{(long) n * oh * ow, cols}, 'c');
    }

    /**
     * 2-D convolution (cross-correlation, as in every deep learning library).
     *
     * @param input   [n, c, h, w]
     * @param weights [o, c, kh, kw]
     * @param bias    [o] or null
     * @return [n, o, oh, ow], in double precision
     */
    public static INDArray conv2d(INDArray input, INDArray weights, INDArray bias, int stride, int pad) {
        long[] s = input.shape();
        long[] ws = weights.shape();
        if (ws[1] != s[1]) {
            throw new IllegalArgumentException("kernel has " + ws[1] + " input channels, the input " + s[1]);
        }
        int kh = (int) ws[2];
        int kw = (int) ws[3];
        int oh = outSize((int) s[2], kh, stride, pad);
        int ow = outSize((int) s[3], kw, stride, pad);
        INDArray cols = unfold(input, kh, kw, stride, pad);
        INDArray kernels = weights.castTo(DataType.DOUBLE).reshape('c', ws[0], ws[1] * kh * kw);
        INDArray out = cols.mmul(kernels.transpose());          // the one matrix multiply
        if (bias != null) {
            out.addiRowVector(bias.castTo(DataType.DOUBLE).reshape(1, ws[0]));
        }
        return out.reshape('c', s[0], oh, ow, ws[0]).permute(0, 3, 1, 2).dup('c');
    }
}

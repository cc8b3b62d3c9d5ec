package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.module.NioView;
import io.github.fastdl4j.common.module.Parameter;
import io.github.fastdl4j.common.module.RowRanges;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * fastai's {@code ConvLayer} written from scratch: a k x k convolution with PyTorch's padding
 * {@code k / 2}, then batchnorm, then ReLU or Mish (or none, for a classifier's last layer).
 * The convolution is the lesson's: unfold every receptive field into a row (im2col), then one
 * matrix multiply (BLAS) with the flattened kernels; backward is two more multiplies and the
 * fold back (col2im).
 *
 * <p>Layout and speed choices, each measured on simple-cnn (see README):
 * <ul>
 * <li>Activations are channels-last, {@code [n, h, w, c]} flattened: a convolution's output
 * {@code cols x kernels^T} is then already the next layer's input, with no transpose, and one
 * kernel row of a patch (kx x c values) is one contiguous run of the input.</li>
 * <li>The element-wise work (im2col, batchnorm, activation, col2im) runs over plain
 * {@code float[]}s, split over the cores by image or row ranges; only the three multiplies go
 * through ND4J. JVM loops over ND4J's NIO buffers were 3-8x slower than over arrays.</li>
 * <li>Batchnorm and activation are one pass each way: forward keeps only the convolution
 * output z and recomputes the normalised value where backward needs it.</li>
 * <li>Every buffer is kept and reused while the batch size stays the same: allocating fresh
 * native arrays each step (10 MB of patches in the first layer at batch size 512) cost more
 * than the multiplies.</li>
 * </ul>
 * Kernel columns are ordered (ky, kx, c). Without batchnorm the convolution has a bias; with
 * it, a bias would be cancelled by the mean. Parameters are FLOAT.
 */
final class ConvLayer {

    /** What follows batchnorm. */
    enum Act { NONE, RELU, MISH }

    private static final int PARALLEL_MIN = 1 << 15;   // values below which a loop stays on one thread
    private static final double EPS = 1e-5;            // batchnorm, as PyTorch
    private static final double MOMENTUM = 0.1;
    private static final int SUM_BLOCK = 64;            // rows summed in float before adding into doubles

    private final int cin;
    private final int cout;
    private final int k;
    private final int stride;
    private final int pad;
    private final Act act;
    private final Parameter weight;
    private final Parameter bias;
    // batchnorm: gamma, beta and the running statistics (PyTorch's buffers: no decay, zero gradient)
    private final boolean bn;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runMean;
    private final Parameter runVar;
    private final List<Parameter> params = new ArrayList<>();
    // reused buffers, sized for the last batch
    private int rows = -1;
    private float[] cols, z, y, g, dcols, dx;
    private INDArray colsA, zA, gA, dcolsA;
    // the last training forward, for backward
    private boolean trained;
    private int n, h, w, oh, ow;
    private double[] mean, invStd, scale, shift;

    ConvLayer(String name, int cin, int cout, int k, int stride, Act act, boolean batchnorm, Random rng) {
        this.cin = cin;
        this.cout = cout;
        this.k = k;
        this.stride = stride;
        this.pad = k / 2;
        this.act = act;
        int fanIn = k * k * cin;
        // He (Kaiming) normal, as fastai's ConvLayer and DL4J's WeightInit.RELU
        this.weight = new Parameter(name + "_w", Nd4j.randn(rng, cout, fanIn).castTo(DataType.FLOAT)
                .muli(Math.sqrt(2.0 / fanIn)), true);
        params.add(weight);
        this.bn = batchnorm;
        if (batchnorm) {
            gamma = new Parameter(name + "_bn_gamma", Nd4j.ones(DataType.FLOAT, 1, cout), false);
            beta = new Parameter(name + "_bn_beta", Nd4j.zeros(DataType.FLOAT, 1, cout), false);
            runMean = new Parameter(name + "_bn_running_mean", Nd4j.zeros(DataType.FLOAT, 1, cout), false);
            runVar = new Parameter(name + "_bn_running_var", Nd4j.ones(DataType.FLOAT, 1, cout), false);
            params.addAll(List.of(gamma, beta, runMean, runVar));
            bias = null;
        } else {
            gamma = beta = runMean = runVar = null;
            bias = new Parameter(name + "_b", Nd4j.zeros(DataType.FLOAT, 1, cout), true);
            params.add(bias);
        }
    }

    List<Parameter> parameters() {
        return params;
    }

    int outSize(int in) {
        return (in + 2 * pad - k) / stride + 1;
    }

    private void buffers(int n, int h, int w, int oh, int ow) {
        int r = n * oh * ow, width = k * k * cin;
        if (r != rows || dx == null || dx.length != n * h * w * cin) {
            rows = r;
            cols = new float[r * width];
            z = new float[r * cout];
            y = new float[r * cout];
            g = new float[r * cout];
            dcols = new float[r * width];
            dx = new float[n * h * w * cin];
            colsA = Nd4j.createUninitialized(DataType.FLOAT, r, width);
            zA = Nd4j.createUninitialized(DataType.FLOAT, r, cout);
            gA = Nd4j.createUninitialized(DataType.FLOAT, r, cout);
            dcolsA = Nd4j.createUninitialized(DataType.FLOAT, r, width);
        }
    }

    /**
     * @param x input [n, h, w, cin], row-major
     * @return output [n, oh, ow, cout], row-major; a buffer of this layer, valid until its next call
     */
    float[] forward(float[] x, int n, int h, int w, boolean training) {
        int oh = outSize(h), ow = outSize(w);
        buffers(n, h, w, oh, ow);
        im2col(x, n, h, w, oh, ow);
        NioView.copy(cols, colsA);
        Nd4j.gemm(colsA, weight.value(), zA, false, true, 1.0, 0.0);      // the one multiply: [rows, cout]
        NioView.copy(zA, z);
        // batchnorm (or the bias) is one affine map per channel: y = act(z * scale + shift)
        double[] mean = new double[cout], inv = new double[cout], scale = new double[cout], shift = new double[cout];
        if (bn) {
            statistics(training, mean, inv);
            float[] gm = gamma.value().toFloatVector(), bt = beta.value().toFloatVector();
            for (int c = 0; c < cout; c++) {
                scale[c] = gm[c] * inv[c];
                shift[c] = bt[c] - mean[c] * scale[c];
            }
        } else {
            float[] b = bias.value().toFloatVector();
            for (int c = 0; c < cout; c++) {
                scale[c] = 1;
                shift[c] = b[c];
            }
        }
        float[] z = this.z, y = this.y;
        float[] sc = toFloats(scale), sh = toFloats(shift);
        ranges(rows).forEach(r -> activateRows(z, y, sc, sh, r[0], r[1]));
        trained = training;
        if (training) {
            this.n = n;
            this.h = h;
            this.w = w;
            this.oh = oh;
            this.ow = ow;
            this.mean = mean;
            this.invStd = inv;
            this.scale = scale;
            this.shift = shift;
        }
        return y;
    }

    /**
     * Per-channel mean and 1 / sqrt(var + eps) of z: the batch's (biased variance; the running
     * statistics move 10% towards them, with the unbiased variance, as PyTorch) in training, the
     * running ones at inference.
     */
    private void statistics(boolean training, double[] mean, double[] inv) {
        float[] rm = runMean.value().toFloatVector(), rv = runVar.value().toFloatVector();
        if (!training) {
            for (int c = 0; c < cout; c++) {
                mean[c] = rm[c];
                inv[c] = 1 / Math.sqrt(rv[c] + EPS);
            }
            return;
        }
        float[] z = this.z;
        int rows = this.rows;
        // sums and sums of squares around the first row (a shift keeps the one-pass variance
        // accurate when the mean is far from zero), one partial sum per row range, added in order
        double[][] parts = ranges(rows).map(r -> {
            double[] s = new double[2 * cout];
            for (int i = r[0]; i < r[1]; i++) {
                for (int c = 0, at = i * cout; c < cout; c++, at++) {
                    double d = z[at] - z[c];
                    s[c] += d;
                    s[cout + c] += d * d;
                }
            }
            return s;
        }).toArray(double[][]::new);
        for (int c = 0; c < cout; c++) {
            double s = 0, s2 = 0;
            for (double[] part : parts) {
                s += part[c];
                s2 += part[cout + c];
            }
            double m = s / rows;
            double var = Math.max(0, s2 / rows - m * m);
            mean[c] = z[c] + m;
            inv[c] = 1 / Math.sqrt(var + EPS);
            double unbiased = rows > 1 ? var * rows / (rows - 1) : var;
            rm[c] = (float) ((1 - MOMENTUM) * rm[c] + MOMENTUM * mean[c]);
            rv[c] = (float) ((1 - MOMENTUM) * rv[c] + MOMENTUM * unbiased);
        }
        runMean.value().assign(Nd4j.createFromArray(rm).reshape(1, cout));
        runVar.value().assign(Nd4j.createFromArray(rv).reshape(1, cout));
    }

    /**
     * y = act(z * scale + shift) for rows {@code from..to}: one simple float loop per activation
     * (the JIT vectorises the ReLU and identity ones).
     */
    private void activateRows(float[] z, float[] y, float[] sc, float[] sh, int from, int to) {
        for (int i = from; i < to; i++) {
            int base = i * cout;
            switch (act) {
                case RELU -> {
                    for (int c = 0; c < cout; c++) {
                        y[base + c] = Math.max(z[base + c] * sc[c] + sh[c], 0f);
                    }
                }
                case NONE -> {
                    for (int c = 0; c < cout; c++) {
                        y[base + c] = z[base + c] * sc[c] + sh[c];
                    }
                }
                case MISH -> {
                    for (int c = 0; c < cout; c++) {
                        y[base + c] = (float) mish(z[base + c] * sc[c] + sh[c]);
                    }
                }
            }
        }
    }

    /**
     * g = dy * act'(z * scale + shift) for rows {@code from..to}, adding sum(g) and
     * sum(g (z - mean)) per channel into {@code sums} ([2 cout]).
     */
    private void activationBackwardRows(float[] dy, float[] z, float[] g, float[] sc, float[] sh, float[] mean,
                                        float[] sums, int from, int to) {
        for (int i = from; i < to; i++) {
            int base = i * cout;
            for (int c = 0; c < cout; c++) {
                float pre = z[base + c] * sc[c] + sh[c];
                float gi = switch (act) {
                    case RELU -> pre > 0 ? dy[base + c] : 0f;
                    case NONE -> dy[base + c];
                    case MISH -> (float) (dy[base + c] * mishGrad(pre));
                };
                g[base + c] = gi;
                sums[c] += gi;
                sums[cout + c] += gi * (z[base + c] - mean[c]);
            }
        }
    }

    private static float[] toFloats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    static double mish(double x) {
        return x * Math.tanh(softplus(x));
    }

    /** d mish / dx = tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2), sp = softplus(x). */
    static double mishGrad(double x) {
        double t = Math.tanh(softplus(x));
        return t + x * (1 / (1 + Math.exp(-x))) * (1 - t * t);
    }

    private static double softplus(double x) {
        return x > 20 ? x : Math.log1p(Math.exp(x));
    }

    /**
     * Given dL/d(output) of the last training forward ([n, oh, ow, cout]), adds the parameter
     * gradients and returns dL/d(input) ([n, h, w, cin], a buffer of this layer), or null when
     * {@code inputGrad} is false (the first layer: nothing to pass back to the image).
     */
    float[] backward(float[] dy, boolean inputGrad) {
        if (!trained) {
            throw new IllegalStateException("backward needs a training forward first");
        }
        trained = false;
        float[] z = this.z, g = this.g;
        double[] mean = this.mean, inv = this.invStd, scale = this.scale, shift = this.shift;
        // one pass: through the activation, and the sums batchnorm's backward needs, sum(g) and
        // sum(g (z - mean)) = sum(g xhat) / invStd; float sums over blocks of rows, added into
        // doubles, keep the loop simple and the sums accurate
        float[] sc = toFloats(scale), sh = toFloats(shift), mf = toFloats(mean);
        double[][] parts = ranges(rows).map(r -> {
            double[] s = new double[2 * cout];
            float[] block = new float[2 * cout];
            for (int from = r[0]; from < r[1]; from += SUM_BLOCK) {
                int to = Math.min(r[1], from + SUM_BLOCK);
                activationBackwardRows(dy, z, g, sc, sh, mf, block, from, to);
                for (int c = 0; c < 2 * cout; c++) {
                    s[c] += block[c];
                    block[c] = 0;
                }
            }
            return s;
        }).toArray(double[][]::new);
        double[] sumG = new double[cout], sumGx = new double[cout];
        for (double[] part : parts) {
            for (int c = 0; c < cout; c++) {
                sumG[c] += part[c];
                sumGx[c] += part[cout + c];
            }
        }
        for (int c = 0; c < cout; c++) {
            sumGx[c] *= inv[c];
        }
        if (bn) {
            gamma.grad().addi(Nd4j.createFromArray(sumGx).castTo(DataType.FLOAT).reshape(1, cout));
            beta.grad().addi(Nd4j.createFromArray(sumG).castTo(DataType.FLOAT).reshape(1, cout));
            // dL/dz = gamma invStd / N (N g - sum(g) - xhat sum(g xhat)), xhat = (z - mean) invStd,
            // as g a + z b + e per channel: one float multiply-add loop
            float[] a = new float[cout], b = new float[cout], e = new float[cout];
            for (int c = 0; c < cout; c++) {
                double xs = -scale[c] * inv[c] * sumGx[c] / rows;
                a[c] = (float) scale[c];
                b[c] = (float) xs;
                e[c] = (float) (-scale[c] * sumG[c] / rows - xs * mean[c]);
            }
            ranges(rows).forEach(r -> {
                for (int i = r[0]; i < r[1]; i++) {
                    int base = i * cout;
                    for (int c = 0; c < cout; c++) {
                        g[base + c] = g[base + c] * a[c] + z[base + c] * b[c] + e[c];
                    }
                }
            });
        } else {
            bias.grad().addi(Nd4j.createFromArray(sumG).castTo(DataType.FLOAT).reshape(1, cout));
        }
        NioView.copy(g, gA);
        Nd4j.gemm(gA, colsA, weight.grad(), true, false, 1.0, 1.0);        // dW += dz^T cols
        if (!inputGrad) {
            return null;
        }
        Nd4j.gemm(gA, weight.value(), dcolsA, false, false, 1.0, 0.0);    // [rows, k k cin]
        NioView.copy(dcolsA, dcols);
        col2im(n, h, w, oh, ow);
        return dx;
    }

    /** Row ranges: one per core for large blocks, else one on the calling thread. */
    private Stream<int[]> ranges(int rows) {
        return RowRanges.of(rows, (long) rows * cout >= PARALLEL_MIN);
    }

    /**
     * Unfolds [n, h, w, cin] into rows (image, oy, ox) of k x k x cin values, zero outside. In
     * channels-last layout the kx x cin values of one kernel row are one contiguous run of the
     * input, so each (row, ky) is a clipped array copy rather than k x cin bounds checks.
     */
    private void im2col(float[] x, int n, int h, int w, int oh, int ow) {
        float[] cols = this.cols;
        int width = k * k * cin, run = k * cin;
        RowRanges.of(n, (long) n * oh * ow * width >= PARALLEL_MIN).forEach(r -> {
            for (int img = r[0]; img < r[1]; img++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int row = ((img * oh + oy) * ow + ox) * width;
                        int ix0 = ox * stride - pad;
                        int lo = Math.max(0, -ix0) * cin, hi = Math.min(k, w - ix0) * cin;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = oy * stride + ky - pad;
                            int to = row + ky * run;
                            if (iy < 0 || iy >= h) {
                                for (int j = 0; j < run; j++) {
                                    cols[to + j] = 0f;
                                }
                                continue;
                            }
                            int from = ((img * h + iy) * w + ix0) * cin;
                            for (int j = 0; j < lo; j++) {
                                cols[to + j] = 0f;
                            }
                            if (hi - lo < 32) {     // short runs (the first layers): a plain loop beats a call
                                for (int j = lo; j < hi; j++) {
                                    cols[to + j] = x[from + j];
                                }
                            } else {
                                System.arraycopy(x, from + lo, cols, to + lo, hi - lo);
                            }
                            for (int j = hi; j < run; j++) {
                                cols[to + j] = 0f;
                            }
                        }
                    }
                }
            }
        });
    }

    /** The adjoint of im2col: adds every patch row's values back where they were read from. */
    private void col2im(int n, int h, int w, int oh, int ow) {
        float[] dcols = this.dcols, dx = this.dx;
        int width = k * k * cin, run = k * cin;
        RowRanges.of(n, (long) n * oh * ow * width >= PARALLEL_MIN).forEach(r -> {
            java.util.Arrays.fill(dx, r[0] * h * w * cin, r[1] * h * w * cin, 0f);
            for (int img = r[0]; img < r[1]; img++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int row = ((img * oh + oy) * ow + ox) * width;
                        int ix0 = ox * stride - pad;
                        int lo = Math.max(0, -ix0) * cin, hi = Math.min(k, w - ix0) * cin;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = oy * stride + ky - pad;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int from = row + ky * run, to = ((img * h + iy) * w + ix0) * cin;
                            for (int j = lo; j < hi; j++) {
                                dx[to + j] += dcols[from + j];
                            }
                        }
                    }
                }
            }
        });
    }
}

package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Batch normalisation over the rows of a [rows, n] block (PyTorch's {@code BatchNorm1d}), the
 * one copy for from-scratch modules: batch statistics (biased variance) in training, running
 * statistics (momentum 0.1, unbiased variance) at inference, eps 1e-5, as PyTorch. Forward and
 * backward are single JVM passes over {@link NioView}s, fused with a dropout mask and with
 * writing into a column range of a wider array (the continuous columns beside the embeddings),
 * because for the block sizes of tabular models an ND4J op chain costs more in dispatch than
 * the arithmetic.
 *
 * <p>Parameters {@code <name>_gamma} and {@code <name>_beta} (no weight decay, as fastai), and
 * the running statistics {@code <name>_running_mean} and {@code <name>_running_var}, which are
 * {@link Buffer}s: no gradient, never stepped by the optimiser (PyTorch's buffers); all four are
 * saved with the weights.
 */
public final class BatchNorm {

    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    private final int n;
    private final Parameter gamma;
    private final Parameter beta;
    private final Buffer runMean;
    private final Buffer runVar;
    // the last training batch's statistics, for backward
    private double[] invStd;
    private INDArray xhat;

    /** {@code n} features, of {@code type} (FLOAT to train, DOUBLE for gradient checks). */
    public BatchNorm(String name, int n, DataType type) {
        this.n = n;
        gamma = new Parameter(name + "_gamma", Nd4j.ones(type, 1, n), false);
        beta = new Parameter(name + "_beta", Nd4j.zeros(type, 1, n), false);
        runMean = new Buffer(name + "_running_mean", Nd4j.zeros(type, 1, n));
        runVar = new Buffer(name + "_running_var", Nd4j.ones(type, 1, n));
    }

    /** gamma and beta, trained (no weight decay). */
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    /** The running mean and variance: saved with the weights, never trained. */
    public List<Buffer> buffers() {
        return List.of(runMean, runVar);
    }

    /**
     * Normalises the (rows x n) block {@code src} (row-major, contiguous) into {@code dst} (row
     * stride {@code dstStride}, first column {@code dstOff}), times {@code mask} when given (a
     * dropout mask of rows x n, with the survivors' scale). Training uses the batch's statistics,
     * updates the running ones and keeps what backward needs; {@code xhat} (rows x n, training
     * only) receives the normalised values, in a caller's array so that it can be reused step
     * after step.
     */
    public void forward(NioView src, NioView dst, int rows, int dstStride, int dstOff, float[] mask, boolean training,
                        INDArray xhat) {
        double[] mean = new double[n];
        double[] var = new double[n];
        NioView rm = NioView.of(runMean.value());
        NioView rv = NioView.of(runVar.value());
        if (training) {
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < n; c++) {
                    mean[c] += src.get(i * n + c);
                }
            }
            for (int c = 0; c < n; c++) {
                mean[c] /= rows;
            }
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < n; c++) {
                    double d = src.get(i * n + c) - mean[c];
                    var[c] += d * d;
                }
            }
            for (int c = 0; c < n; c++) {
                double unbiased = rows > 1 ? var[c] / (rows - 1) : var[c];
                var[c] /= rows;
                rm.set(c, (1 - MOMENTUM) * rm.get(c) + MOMENTUM * mean[c]);
                rv.set(c, (1 - MOMENTUM) * rv.get(c) + MOMENTUM * unbiased);
            }
            rm.commit();
            rv.commit();
        } else {
            for (int c = 0; c < n; c++) {
                mean[c] = rm.get(c);
                var[c] = rv.get(c);
            }
        }
        double[] inv = new double[n];
        for (int c = 0; c < n; c++) {
            inv[c] = 1 / Math.sqrt(var[c] + EPS);
        }
        NioView g = NioView.of(gamma.value());
        NioView b = NioView.of(beta.value());
        NioView xh = training ? NioView.of(xhat) : null;
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < n; c++) {
                double v = (src.get(i * n + c) - mean[c]) * inv[c];
                if (xh != null) {
                    xh.set(i * n + c, v);
                }
                double y = g.get(c) * v + b.get(c);
                dst.set(i * dstStride + dstOff + c, mask == null ? y : y * mask[i * n + c]);
            }
        }
        if (training) {
            xh.commit();
            this.invStd = inv;
            this.xhat = xhat;
        }
    }

    /**
     * Given dL/dy of the last training forward's output in columns {@code off .. off+n} of
     * {@code d} (row stride {@code off + n}), adds the gamma and beta gradients and, when
     * {@code inputGrad}, overwrites {@code d} with dL/dx:
     * {@code gamma * invStd / N * (N dy - sum(dy) - xhat * sum(dy xhat))}.
     */
    public void backward(NioView d, int rows, int off, boolean inputGrad) {
        int stride = off + n;
        double[] sumDy = new double[n];
        double[] sumDyX = new double[n];
        NioView xh = NioView.of(xhat);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < n; c++) {
                double dy = d.get(i * stride + off + c);
                sumDy[c] += dy;
                sumDyX[c] += dy * xh.get(i * n + c);
            }
        }
        NioView gg = NioView.of(gamma.grad());
        NioView gb = NioView.of(beta.grad());
        for (int c = 0; c < n; c++) {
            gg.add(c, sumDyX[c]);
            gb.add(c, sumDy[c]);
        }
        gg.commit();
        gb.commit();
        if (!inputGrad) {
            return;
        }
        NioView g = NioView.of(gamma.value());
        double[] scale = new double[n];
        for (int c = 0; c < n; c++) {
            scale[c] = g.get(c) * invStd[c] / rows;
        }
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < n; c++) {
                int at = i * stride + off + c;
                double dy = d.get(at);
                d.set(at, scale[c] * (rows * dy - sumDy[c] - xh.get(i * n + c) * sumDyX[c]));
            }
        }
    }
}

package io.github.fastdl4j.tabular.model;

import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.NioView;
import io.github.fastdl4j.common.module.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * fastai's {@code TabularModel} written from scratch as a {@link Module}: the same network as
 * {@link TabularModel#build} (embeddings, embedding dropout, batchnorm on the continuous columns,
 * Linear(no bias)-ReLU-BatchNorm-Dropout blocks, Linear, sigmoid_range; a classifier's last
 * Linear gives one logit per class instead), with a hand-written
 * backward pass. The large products are BLAS calls ({@code Nd4j.gemm}, accumulating weight
 * gradients in place); gathering and scattering embedding rows, ReLU, batchnorm and dropout are
 * single JVM passes over the batch ({@link NioView}). Why: DL4J M2.1 spends most of a step of
 * its own graph on per-layer overhead (22 embedding layers, 2D batchnorm through a slow
 * summary-statistics op, merge vertices); see the module's README numbers.
 *
 * <p>BatchNorm follows PyTorch: batch statistics (biased variance) in training, running
 * statistics (momentum 0.1, unbiased variance) at inference, eps 1e-5. The running statistics are
 * {@link Parameter}s without weight decay whose gradient stays zero (PyTorch's buffers): Adam
 * leaves them unchanged and they are saved with the weights. Initialisation as PyTorch:
 * embeddings normal(0, 0.01), linear weights uniform(+-1/sqrt(fan_in)).
 */
public final class TabularNet implements Module {

    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    private final TabularModel.Spec spec;
    private final DataType type;
    private final int k;
    private final int nCont;
    private final int embWidth;
    private final int[] widths;
    private final int[] offsets;
    private final Parameter[] emb;
    private final Norm contNorm;
    private final Parameter[] w;
    private final Norm[] norms;
    private final Parameter wOut;
    private final Parameter bOut;
    private final List<Parameter> params = new ArrayList<>();
    private final SplittableRandom dropoutRng;

    private int[][] lastCodes;
    private INDArray[] lastX;
    private INDArray[] lastA;
    private float[][] masks;
    private float[] embMask;
    private double[] lastSigmoid;
    private Buffers lastBuffers;

    /**
     * The activations of one batch size, reused step after step. Why: ND4J frees an array's
     * off-heap memory only when the garbage collector finds the array, and the heap hardly grows
     * while training, so a step's ~20 MB of fresh activations (batch 512, layers 1000 and 500)
     * piled up to gigabytes over a million-row epoch before a collection ran. A step's
     * activations are dead once its backward pass is done, so the next step can write over them.
     */
    private final class Buffers {
        final INDArray x;
        final INDArray[] a;
        final INDArray[] h;
        final INDArray[] xhat;
        final INDArray[] dx;

        Buffers(int bs, boolean training) {
            int in = embWidth + nCont;
            int L = w.length;
            x = Nd4j.create(type, bs, in);
            a = new INDArray[L];
            h = new INDArray[L];
            xhat = new INDArray[L + 1];
            dx = new INDArray[L + 1];
            int width = in;
            for (int l = 0; l < L; l++) {
                int out = spec.layers().get(l);
                a[l] = Nd4j.create(type, bs, out);
                h[l] = Nd4j.create(type, bs, out);
                if (training) {
                    xhat[l] = Nd4j.create(type, bs, out);
                    dx[l] = Nd4j.create(type, bs, width); // dL/d(input of layer l)
                }
                width = out;
            }
            if (training) {
                xhat[L] = nCont > 0 ? Nd4j.create(type, bs, nCont) : null; // the continuous columns' batchnorm
                dx[L] = Nd4j.create(type, bs, width); // dL/d(input of the output layer)
            }
        }
    }

    /** Buffers by batch size (and training or not): the full batch, the last, the validation batch. */
    private final java.util.Map<Long, Buffers> buffers = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, Buffers> eldest) {
            return size() > 4;
        }
    };

    private Buffers buffers(int bs, boolean training) {
        return buffers.computeIfAbsent(bs * 2L + (training ? 1 : 0), k -> new Buffers(bs, training));
    }

    /** Batchnorm parameters and the statistics of the last training batch. */
    private static final class Norm {
        final Parameter gamma;
        final Parameter beta;
        final Parameter runMean;
        final Parameter runVar;
        double[] invStd;
        INDArray xhat;

        Norm(String name, int n, DataType type, List<Parameter> params) {
            gamma = new Parameter(name + "_gamma", Nd4j.ones(type, 1, n), false);
            beta = new Parameter(name + "_beta", Nd4j.zeros(type, 1, n), false);
            runMean = new Parameter(name + "_running_mean", Nd4j.zeros(type, 1, n), false);
            runVar = new Parameter(name + "_running_var", Nd4j.ones(type, 1, n), false);
            params.add(gamma);
            params.add(beta);
            params.add(runMean);
            params.add(runVar);
        }
    }

    public TabularNet(TabularModel.Spec spec, DataType type) {
        this.spec = spec;
        this.type = type;
        this.k = spec.catNames().size();
        this.nCont = spec.nCont();
        this.widths = new int[k];
        this.offsets = new int[k];
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(spec.seed());
        this.emb = new Parameter[k];
        int off = 0;
        for (int j = 0; j < k; j++) {
            int n = spec.cardinalities().get(j);
            widths[j] = spec.oneHot() ? n : spec.embSizes().get(j);
            offsets[j] = off;
            off += widths[j];
            if (!spec.oneHot()) {
                emb[j] = new Parameter(TabularModel.embeddingLayer(spec.catNames().get(j)),
                        Nd4j.randn(rng, n, widths[j]).castTo(type).muli(0.01), true);
                params.add(emb[j]);
            }
        }
        this.embWidth = off;
        this.contNorm = nCont > 0 ? new Norm("bn_cont", nCont, type, params) : null;
        int in = embWidth + nCont;
        int L = spec.layers().size();
        this.w = new Parameter[L];
        this.norms = new Norm[L];
        for (int l = 0; l < L; l++) {
            int out = spec.layers().get(l);
            w[l] = new Parameter("lin" + l, uniform(rng, in, out, in), true);
            params.add(w[l]);
            norms[l] = new Norm("bn" + l, out, type, params);
            in = out;
        }
        this.wOut = new Parameter("out_w", uniform(rng, in, spec.nOut(), in), true);
        this.bOut = new Parameter("out_b", uniform(rng, 1, spec.nOut(), in), true);
        params.add(wOut);
        params.add(bOut);
        this.dropoutRng = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);
    }

    private INDArray uniform(Random rng, int rows, int cols, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        return Nd4j.rand(rng, rows, cols).castTo(type).muli(2 * bound).subi(bound);
    }

    public TabularModel.Spec spec() {
        return spec;
    }

    /** A column's embedding matrix (rows = vocabulary), or null for a one-hot model. */
    public INDArray embedding(String column) {
        int j = spec.catNames().indexOf(column);
        if (j < 0) {
            throw new IllegalArgumentException("no categorical column " + column);
        }
        return emb[j] == null ? null : emb[j].value();
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public INDArray forward(INDArray[] inputs, boolean training) {
        int bs = (int) inputs[0].size(0);
        int L = w.length;
        int[][] codes = new int[k][];
        for (int j = 0; j < k; j++) {
            codes[j] = codes(inputs[j], spec.cardinalities().get(j));
        }
        int in = embWidth + nCont;
        Buffers buf = buffers(bs, training);
        INDArray x = buf.x;
        if (spec.oneHot()) {
            x.assign(0); // one-hot writes only the ones
        }
        NioView xv = NioView.of(x);
        float[] eMask = training && spec.embDrop() > 0 ? mask(bs * embWidth, spec.embDrop()) : null;
        for (int j = 0; j < k; j++) {
            if (spec.oneHot()) {
                for (int i = 0; i < bs; i++) {
                    int e = i * embWidth + offsets[j] + codes[j][i];
                    xv.set(i * in + offsets[j] + codes[j][i], eMask == null ? 1 : eMask[e]);
                }
                continue;
            }
            NioView ev = NioView.of(emb[j].value());
            int wj = widths[j];
            for (int i = 0; i < bs; i++) {
                int src = codes[j][i] * wj, dst = i * in + offsets[j], m = i * embWidth + offsets[j];
                for (int c = 0; c < wj; c++) {
                    double v = ev.get(src + c);
                    xv.set(dst + c, eMask == null ? v : v * eMask[m + c]);
                }
            }
        }
        if (nCont > 0) {
            INDArray cont = inputs[k].isView() ? inputs[k].dup() : inputs[k];
            batchNorm(NioView.of(cont.castTo(type)), xv, null, bs, nCont, 0, in, embWidth, contNorm, training,
                    training ? buf.xhat[L] : null);
        }
        xv.commit();
        INDArray[] xs = new INDArray[L + 1];
        INDArray[] as = new INDArray[L];
        float[][] ms = new float[L][];
        xs[0] = x;
        for (int l = 0; l < L; l++) {
            int out = spec.layers().get(l);
            INDArray a = buf.a[l];
            Nd4j.gemm(xs[l], w[l].value(), a, false, false, 1.0, 0.0);
            NioView av = NioView.of(a);
            for (int i = 0, n = bs * out; i < n; i++) {
                if (av.get(i) < 0) {
                    av.set(i, 0);
                }
            }
            av.commit();
            INDArray h = buf.h[l];
            double p = spec.ps().get(l);
            ms[l] = training && p > 0 ? mask(bs * out, p) : null;
            NioView hv = NioView.of(h);
            batchNorm(av, hv, ms[l], bs, out, 0, out, 0, norms[l], training, training ? buf.xhat[l] : null);
            hv.commit();
            as[l] = a;
            xs[l + 1] = h;
        }
        INDArray z = Nd4j.gemm(xs[L], wOut.value(), false, false);
        double[] sig = new double[bs];
        if (spec.classifier()) {
            z.addiRowVector(bOut.value()); // logits: the loss applies the softmax
        } else {
            NioView zv = NioView.of(z);
            double b = bOut.value().getDouble(0);
            double lo = spec.yLow(), hi = spec.yHigh();
            for (int i = 0; i < bs; i++) {
                sig[i] = 1 / (1 + Math.exp(-(zv.get(i) + b)));
                zv.set(i, lo + (hi - lo) * sig[i]);
            }
            zv.commit();
        }
        if (training) {
            lastBuffers = buf;
            lastCodes = codes;
            lastX = xs;
            lastA = as;
            masks = ms;
            embMask = eMask;
            lastSigmoid = sig;
        }
        return z;
    }

    private static int[] codes(INDArray a, int cardinality) {
        double[] d = a.reshape(a.length()).toDoubleVector();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            int c = (int) d[i];
            if (c < 0 || c >= cardinality || c != d[i]) {
                throw new IllegalArgumentException("category code " + d[i] + " outside 0.." + (cardinality - 1));
            }
            out[i] = c;
        }
        return out;
    }

    /** A dropout mask with the survivors' scale: 0 with probability p, else 1 / (1 - p). */
    private float[] mask(int n, double p) {
        float[] m = new float[n];
        float keep = (float) (1 / (1 - p));
        for (int i = 0; i < n; i++) {
            m[i] = dropoutRng.nextDouble() < p ? 0f : keep;
        }
        return m;
    }

    /**
     * Batchnorm of an (rows x n) block read from {@code src} (row stride {@code srcStride}, column
     * offset {@code srcOff}) into {@code dst} (stride {@code dstStride}, offset {@code dstOff}),
     * times a dropout mask when given. Training uses and records the batch statistics.
     */
    private static void batchNorm(NioView src, NioView dst, float[] mask, int rows, int n, int srcOff, int dstStride,
                                  int dstOff, Norm norm, boolean training, INDArray xhat) {
        int srcStride = n + srcOff;
        double[] mean = new double[n], var = new double[n];
        NioView g = NioView.of(norm.gamma.value()), bt = NioView.of(norm.beta.value());
        NioView rm = NioView.of(norm.runMean.value()), rv = NioView.of(norm.runVar.value());
        if (training) {
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < n; c++) {
                    mean[c] += src.get(i * srcStride + srcOff + c);
                }
            }
            for (int c = 0; c < n; c++) {
                mean[c] /= rows;
            }
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < n; c++) {
                    double d = src.get(i * srcStride + srcOff + c) - mean[c];
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
        NioView xh = xhat == null ? null : NioView.of(xhat);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < n; c++) {
                double v = (src.get(i * srcStride + srcOff + c) - mean[c]) * inv[c];
                if (xh != null) {
                    xh.set(i * n + c, v);
                }
                double y = g.get(c) * v + bt.get(c);
                dst.set(i * dstStride + dstOff + c, mask == null ? y : y * mask[i * n + c]);
            }
        }
        if (xh != null) {
            xh.commit();
        }
        if (training) {
            norm.invStd = inv;
            norm.xhat = xhat;
        }
    }

    @Override
    public void backward(INDArray gradOutput) {
        if (lastSigmoid == null) {
            throw new IllegalStateException("backward needs a training forward first");
        }
        int bs = lastSigmoid.length;
        int L = w.length;
        INDArray dz;
        if (spec.classifier()) {
            dz = gradOutput.castTo(type); // dL/dlogits
            bOut.grad().addi(dz.sum(true, 0));
        } else {
            double lo = spec.yLow(), hi = spec.yHigh();
            dz = Nd4j.create(type, bs, 1);
            NioView gv = NioView.of(gradOutput.isView() ? gradOutput.dup() : gradOutput);
            NioView dzv = NioView.of(dz);
            double db = 0;
            for (int i = 0; i < bs; i++) {
                double d = gv.get(i) * (hi - lo) * lastSigmoid[i] * (1 - lastSigmoid[i]);
                dzv.set(i, d);
                db += d;
            }
            dzv.commit();
            bOut.grad().addi(db);
        }
        Nd4j.gemm(lastX[L], dz, wOut.grad(), true, false, 1.0, 1.0);
        INDArray dx = lastBuffers.dx[L];
        Nd4j.gemm(dz, wOut.value(), dx, false, true, 1.0, 0.0);
        for (int l = L - 1; l >= 0; l--) {
            int out = spec.layers().get(l);
            NioView dxv = NioView.of(dx);
            if (masks[l] != null) {
                float[] m = masks[l];
                for (int i = 0, n = bs * out; i < n; i++) {
                    dxv.set(i, dxv.get(i) * m[i]);
                }
            }
            // batchnorm backward into dx (in place), then ReLU's gate
            batchNormBackward(dxv, bs, out, 0, norms[l], true);
            NioView av = NioView.of(lastA[l]);
            for (int i = 0, n = bs * out; i < n; i++) {
                if (av.get(i) <= 0) {
                    dxv.set(i, 0);
                }
            }
            dxv.commit();
            Nd4j.gemm(lastX[l], dx, w[l].grad(), true, false, 1.0, 1.0);
            INDArray next = lastBuffers.dx[l];
            Nd4j.gemm(dx, w[l].value(), next, false, true, 1.0, 0.0);
            dx = next;
        }
        int in = embWidth + nCont;
        NioView dxv = NioView.of(dx);
        if (!spec.oneHot()) {
            for (int j = 0; j < k; j++) {
                NioView ge = NioView.of(emb[j].grad());
                int wj = widths[j];
                for (int i = 0; i < bs; i++) {
                    int src = i * in + offsets[j], dst = lastCodes[j][i] * wj, m = i * embWidth + offsets[j];
                    for (int c = 0; c < wj; c++) {
                        double d = dxv.get(src + c);
                        ge.add(dst + c, embMask == null ? d : d * embMask[m + c]);
                    }
                }
                ge.commit();
            }
        }
        if (nCont > 0) {
            batchNormBackward(dxv, bs, nCont, embWidth, contNorm, false);
        }
        lastSigmoid = null;
        lastX = null;
        lastA = null;
        lastBuffers = null;
    }

    /**
     * Given dL/dy of a batchnorm's output in columns {@code off..off+n} of {@code d} (row stride
     * {@code off + n}), adds the gamma and beta gradients and, when asked, overwrites {@code d}
     * with dL/dx: {@code gamma * invStd / N * (N dy - sum(dy) - xhat * sum(dy xhat))}.
     */
    private static void batchNormBackward(NioView d, int rows, int n, int off, Norm norm, boolean inputGrad) {
        int stride = off + n;
        double[] sumDy = new double[n], sumDyX = new double[n];
        NioView xh = NioView.of(norm.xhat);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < n; c++) {
                double dy = d.get(i * stride + off + c);
                sumDy[c] += dy;
                sumDyX[c] += dy * xh.get(i * n + c);
            }
        }
        NioView gg = NioView.of(norm.gamma.grad()), gb = NioView.of(norm.beta.grad());
        for (int c = 0; c < n; c++) {
            gg.add(c, sumDyX[c]);
            gb.add(c, sumDy[c]);
        }
        gg.commit();
        gb.commit();
        if (!inputGrad) {
            return;
        }
        NioView g = NioView.of(norm.gamma.value());
        double[] scale = new double[n];
        for (int c = 0; c < n; c++) {
            scale[c] = g.get(c) * norm.invStd[c] / rows;
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

package io.github.fastdl4j.tabular.model;

import io.github.fastdl4j.common.module.Activations;
import io.github.fastdl4j.common.module.BatchNorm;
import io.github.fastdl4j.common.module.Buffer;
import io.github.fastdl4j.common.module.EmbeddingTable;
import io.github.fastdl4j.common.module.LayerSummary;
import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.NioView;
import io.github.fastdl4j.common.module.Parameter;
import io.github.fastdl4j.common.module.RestorableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * fastai's {@code TabularModel} written from scratch as a {@link Module}: the same network as
 * {@link TabularGraph#build} (embeddings, embedding dropout, batchnorm on the continuous columns,
 * Linear(no bias)-ReLU-BatchNorm-Dropout blocks, Linear, sigmoid_range; a classifier's last
 * Linear gives one logit per class instead), with a hand-written
 * backward pass. The large products are BLAS calls ({@code Nd4j.gemm}, accumulating weight
 * gradients in place); gathering and scattering embedding rows ({@link EmbeddingTable}), ReLU,
 * batchnorm ({@link BatchNorm}) and dropout are single JVM passes over the batch
 * ({@link NioView}). Why: DL4J M2.1 spends most of a step of its own graph on per-layer overhead
 * (22 embedding layers, 2D batchnorm through a slow summary-statistics op, merge vertices); see
 * the module's README numbers.
 *
 * <p>BatchNorm follows PyTorch (see {@link BatchNorm}); its running statistics are saved with
 * the weights. Initialisation as PyTorch: embeddings normal(0, 0.01), linear weights
 * uniform(+-1/sqrt(fan_in)).
 */
public final class TabularNet implements Module {

    private final TabularSpec spec;
    private final DataType type;
    private final int k;
    private final int nCont;
    private final int embWidth;
    private final int[] widths;
    private final int[] offsets;
    private final EmbeddingTable[] emb;
    private final BatchNorm contNorm;
    private final Parameter[] w;
    private final BatchNorm[] norms;
    private final Parameter wOut;
    private final Parameter bOut;
    private final List<Parameter> params = new ArrayList<>();
    private final List<Buffer> runningStats = new ArrayList<>();
    private final RestorableRandom dropoutRng;

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
    private final Map<Long, Buffers> buffers = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Buffers> eldest) {
            return size() > 4;
        }
    };

    private Buffers buffers(int bs, boolean training) {
        return buffers.computeIfAbsent(bs * 2L + (training ? 1 : 0), k -> new Buffers(bs, training));
    }

    public TabularNet(TabularSpec spec, DataType type) {
        this.spec = spec;
        this.type = type;
        this.k = spec.catNames().size();
        this.nCont = spec.nCont();
        this.widths = new int[k];
        this.offsets = new int[k];
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(spec.seed());
        this.emb = new EmbeddingTable[k];
        int off = 0;
        for (int j = 0; j < k; j++) {
            int n = spec.cardinalities().get(j);
            widths[j] = spec.oneHot() ? n : spec.embSizes().get(j);
            offsets[j] = off;
            off += widths[j];
            if (!spec.oneHot()) {
                emb[j] = EmbeddingTable.dense(TabularGraph.embeddingLayer(spec.catNames().get(j)),
                        Nd4j.randn(rng, n, widths[j]).castTo(type).muli(0.01), true);
                params.add(emb[j].parameter());
            }
        }
        this.embWidth = off;
        this.contNorm = nCont > 0 ? batchNorm("bn_cont", nCont) : null;
        int in = embWidth + nCont;
        int L = spec.layers().size();
        this.w = new Parameter[L];
        this.norms = new BatchNorm[L];
        for (int l = 0; l < L; l++) {
            int out = spec.layers().get(l);
            w[l] = new Parameter("lin" + l, uniform(rng, in, out, in), true);
            params.add(w[l]);
            norms[l] = batchNorm("bn" + l, out);
            in = out;
        }
        this.wOut = new Parameter("out_w", uniform(rng, in, spec.nOut(), in), true);
        this.bOut = new Parameter("out_b", uniform(rng, 1, spec.nOut(), in), true);
        params.add(wOut);
        params.add(bOut);
        this.dropoutRng = new RestorableRandom(spec.seed() ^ 0x5DEECE66DL);
    }

    private BatchNorm batchNorm(String name, int n) {
        BatchNorm bn = new BatchNorm(name, n, type);
        params.addAll(bn.parameters());
        runningStats.addAll(bn.buffers());
        return bn;
    }

    private INDArray uniform(Random rng, int rows, int cols, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        return Nd4j.rand(rng, rows, cols).castTo(type).muli(2 * bound).subi(bound);
    }

    public TabularSpec spec() {
        return spec;
    }

    /** A column's embedding matrix (rows = vocabulary), or null for a one-hot model. */
    public INDArray embedding(String column) {
        int j = spec.catNames().indexOf(column);
        if (j < 0) {
            throw new IllegalArgumentException("no categorical column " + column);
        }
        return emb[j] == null ? null : emb[j].parameter().value();
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /** Batchnorm's running statistics. */
    @Override
    public List<Buffer> buffers() {
        return runningStats;
    }

    /** The dropout generator's state, for a checkpoint (none without dropout). */
    @Override
    public long[] randomState() {
        boolean drops = spec.embDrop() > 0 || spec.ps().stream().anyMatch(p -> p > 0);
        return drops ? new long[]{dropoutRng.state()} : new long[0];
    }

    @Override
    public void randomState(long[] state) {
        if (state.length != randomState().length) {
            throw new IllegalArgumentException("TabularNet keeps " + randomState().length + " generator states, got " + state.length);
        }
        if (state.length == 1) {
            dropoutRng.state(state[0]);
        }
    }

    /**
     * fastai's summary of {@code TabularModel}: an Embedding per categorical column, embedding
     * dropout, the continuous columns' BatchNorm1d, then per layer Linear, ReLU, BatchNorm1d,
     * Dropout, and the last Linear (and sigmoid_range for a regression).
     */
    @Override
    public List<LayerSummary> layers(INDArray[] sample) {
        long bs = sample[0].size(0);
        List<LayerSummary> rows = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            rows.add(emb[j] == null
                    ? new LayerSummary("onehot_" + spec.catNames().get(j), "one_hot",
                    new long[]{bs, widths[j]}, 0)
                    : new LayerSummary(emb[j].parameter().name(), "Embedding",
                    new long[]{bs, widths[j]}, emb[j].parameter().length()));
        }
        if (embWidth > 0 && spec.embDrop() > 0) {
            rows.add(new LayerSummary("emb_drop", "Dropout", new long[]{bs, embWidth}, 0));
        }
        if (contNorm != null) {
            rows.add(new LayerSummary("bn_cont", "BatchNorm1d", new long[]{bs, nCont},
                    LayerSummary.trainable(contNorm.parameters())));
        }
        for (int l = 0; l < w.length; l++) {
            long[] out = {bs, spec.layers().get(l)};
            rows.add(new LayerSummary(w[l].name(), "Linear", out, w[l].length()));
            rows.add(new LayerSummary("relu" + l, "ReLU", out, 0));
            rows.add(new LayerSummary("bn" + l, "BatchNorm1d", out,
                    LayerSummary.trainable(norms[l].parameters())));
            if (spec.ps().get(l) > 0) {
                rows.add(new LayerSummary("drop" + l, "Dropout", out, 0));
            }
        }
        rows.add(new LayerSummary("out", "Linear", new long[]{bs, spec.nOut()},
                wOut.length() + bOut.length()));
        if (!spec.classifier()) {
            String range = String.format(Locale.ROOT, "sigmoid_range(%.4g, %.4g)", spec.yLow(), spec.yHigh());
            rows.add(new LayerSummary(range, "SigmoidRange",
                    new long[]{bs, spec.nOut()}, 0));
        }
        return rows;
    }

    @Override
    public INDArray forward(INDArray[] inputs, boolean training) {
        int bs = (int) inputs[0].size(0);
        int L = w.length;
        int[][] codes = new int[k][];
        for (int j = 0; j < k; j++) {
            codes[j] = EmbeddingTable.indices(inputs[j], spec.cardinalities().get(j));
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
            emb[j].gather(codes[j], xv, in, offsets[j], eMask, embWidth, offsets[j]);
        }
        if (nCont > 0) {
            INDArray cont = inputs[k].isView() ? inputs[k].dup() : inputs[k];
            contNorm.forward(NioView.of(cont.castTo(type)), xv, bs, in, embWidth, null, training, training ? buf.xhat[L] : null);
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
            norms[l].forward(av, hv, bs, out, 0, ms[l], training, training ? buf.xhat[l] : null);
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
                sig[i] = Activations.sigmoid(zv.get(i) + b);
                zv.set(i, Activations.scaleToRange(sig[i], lo, hi));
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

    /** A dropout mask with the survivors' scale: 0 with probability p, else 1 / (1 - p). */
    private float[] mask(int n, double p) {
        float[] m = new float[n];
        float keep = (float) (1 / (1 - p));
        for (int i = 0; i < n; i++) {
            m[i] = dropoutRng.nextDouble() < p ? 0f : keep;
        }
        return m;
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
                double d = Activations.sigmoidRangeBackward(gv.get(i), lastSigmoid[i], lo, hi);
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
            norms[l].backward(dxv, bs, 0, true);
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
                emb[j].scatterAdd(lastCodes[j], dxv, in, offsets[j], embMask, embWidth, offsets[j]);
            }
        }
        if (nCont > 0) {
            contNorm.backward(dxv, bs, embWidth, false);
        }
        lastSigmoid = null;
        lastX = null;
        lastA = null;
        lastBuffers = null;
    }
}

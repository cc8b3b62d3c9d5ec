package io.github.fastdl4j.vision.model.fast;

import io.github.fastdl4j.common.module.LayerSummary;
import io.github.fastdl4j.common.module.Parameter;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * fastai's {@code ConvLayer}: a k x k convolution, then batchnorm (without it, the convolution
 * has a bias), then an activation (or none, for a classifier's last layer). Each part is one
 * oneDNN primitive on memory in the layout oneDNN prefers (channels blocked by 8 or 16): the
 * convolution, batchnorm with the ReLU fused into it (one pass each way; its backward masks
 * with the workspace the forward wrote), and Mish as its own element-wise pass.
 *
 * <p>Parameters, as the earlier JVM version ({@code conv1_w} and so on, so saved models load):
 * the kernels {@code [cout, k k cin]} ordered (ky, kx, c); batchnorm's gamma, beta, running
 * mean and variance (PyTorch's: eps 1e-5, momentum 0.1, unbiased running variance), or a bias.
 * The kernels are reordered into oneDNN's layout at each forward (they change every step) and
 * their gradient is added back in ours.
 */
final class ConvBlock extends Layer {

    static final float EPS = 1e-5f;
    static final double MOMENTUM = 0.1;

    final int cin;
    final int cout;
    final int k;
    final int stride;
    final Padding padding;
    final Act act;
    final boolean bn;
    final Parameter weight;
    final Parameter bias;
    final Parameter gamma;
    final Parameter beta;
    final Parameter runMean;
    final Parameter runVar;

    /** He-normal kernels drawn from {@code rng} ([cout, k k cin], as DL4J's WeightInit.RELU and fastai). */
    ConvBlock(String name, int cin, int cout, int k, int stride, Padding padding, Act act, boolean batchnorm, Random rng) {
        super(name);
        this.cin = cin;
        this.cout = cout;
        this.k = k;
        this.stride = stride;
        this.padding = padding;
        this.act = act;
        this.bn = batchnorm;
        int fanIn = k * k * cin;
        weight = new Parameter(name + "_w", Nd4j.randn(rng, cout, fanIn).castTo(DataType.FLOAT).muli(Math.sqrt(2.0 / fanIn)), true);
        params.add(weight);
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

    int outSize(int in) {
        return padding.out(in, k, stride, false);
    }

    @Override
    String type() {
        return "Conv2d";
    }

    /** Conv2d, then BatchNorm2d, then the activation: one row each, as PyTorch's modules. */
    @Override
    List<LayerSummary> summary(long[] in) {
        long[] out = outDims(in);
        List<LayerSummary> rows = new ArrayList<>();
        rows.add(new LayerSummary(name, "Conv2d", out,
                weight.length() + (bias == null ? 0 : bias.length())));
        if (bn) {
            rows.add(new LayerSummary(name + "_bn", "BatchNorm2d", out,
                    gamma.length() + beta.length()));
        }
        if (act != Act.NONE) {
            rows.add(new LayerSummary(name + "_" + act.name().toLowerCase(Locale.ROOT),
                    act.torchName(), out, 0));
        }
        return rows;
    }

    @Override
    long[] outDims(long[] in) {
        return new long[]{in[0], cout, outSize((int) in[2]), outSize((int) in[3])};
    }

    @Override
    Step step(Tensor in, long[] inDims, Tensor inDiff, boolean training) {
        if (inDims.length != 4 || inDims[1] != cin) {
            throw new IllegalArgumentException(name + " takes [n, " + cin + ", h, w], got " + Arrays.toString(inDims));
        }
        return new ConvStep(in, inDims, inDiff, training);
    }

    private final class ConvStep extends Step {
        private final boolean training;
        private final long[] dims;
        private final Tensor wUser, wGradUser, bUser, bGradT, gammaT, betaT, meanT, varT;
        private final Dnnl.Exec reorderIn, weightsFwd, conv, bnFwd, actFwd;
        private Dnnl.Exec actBwd, bnBwd, convBwdW, gradW, convBwdD, reorderBack;
        private final List<Dnnl.Exec> bwdPre = new ArrayList<>(), bwdDataPre = new ArrayList<>(),
                bwdDataPost = new ArrayList<>();
        private Tensor diffScale, diffShift;
        private final long rows;

        ConvStep(Tensor in, long[] inDims, Tensor inDiff, boolean training) {
            this.training = training;
            int n = (int) inDims[0], h = (int) inDims[2], w = (int) inDims[3];
            this.dims = inDims;
            outDims = outDims(inDims);
            rows = outDims[0] * outDims[2] * outDims[3];
            long[] strides = {stride, stride};
            long[] pv = padding.pads(h, k, stride, false), ph = padding.pads(w, k, stride, false);
            long[] padL = {pv[0], ph[0]}, padR = {pv[1], ph[1]};
            long[] wDims = {cout, cin, k, k};
            int prop = training ? dnnl_forward_training : dnnl_forward_inference;

            dnnl_memory_desc_t anySrc = Dnnl.md(inDims, dnnl_format_tag_any);
            dnnl_memory_desc_t anyW = Dnnl.md(wDims, dnnl_format_tag_any);
            dnnl_memory_desc_t anyDst = Dnnl.md(outDims, dnnl_format_tag_any);
            dnnl_memory_desc_t biasMd = Dnnl.md(new long[]{cout}, dnnl_x);
            dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_forward_desc_init(cd, prop, dnnl_convolution_direct, anySrc, anyW, bn ? null : biasMd,
                    anyDst, strides, padL, padR), name + " convolution");
            dnnl_primitive_desc convPd = Dnnl.pd(cd, null, null);

            // the input in the layout the convolution wants (the images, plain, usually are; else one reorder)
            dnnl_memory_desc_t srcMd = Dnnl.query(convPd, dnnl_query_src_md, 0);
            Tensor src = in;
            Tensor srcDiff = inDiff;
            Dnnl.Exec toSrc = null;
            if (!Dnnl.same(srcMd, in.md)) {
                src = alloc(name + "_src", srcMd);
                toSrc = exec(Dnnl.reorder(name + " input", in, src, false));
                if (inDiff != null) {
                    srcDiff = alloc(name + "_src_diff", srcMd);
                    reorderBack = exec(Dnnl.reorder(name + " input gradient", srcDiff, inDiff, false));
                }
            }
            reorderIn = toSrc;
            wUser = own(Tensor.external(name + "_w", Dnnl.md(wDims, dnnl_ohwi)));
            Tensor wT = alloc(name + "_w_blocked", Dnnl.query(convPd, dnnl_query_weights_md, 0));
            weightsFwd = exec(Dnnl.reorder(name + " weights", wUser, wT, false));
            Tensor z = alloc(name + "_z", Dnnl.query(convPd, dnnl_query_dst_md, 0));
            if (bn) {
                bUser = null;
                conv = exec(new Dnnl.Exec(name + " convolution", convPd, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wT, DNNL_ARG_DST, z));
            } else {
                bUser = own(Tensor.external(name + "_b", biasMd));
                conv = exec(new Dnnl.Exec(name + " convolution", convPd, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wT, DNNL_ARG_BIAS,
                        bUser, DNNL_ARG_DST, z));
            }

            // batchnorm, ReLU fused in
            Tensor pre = z;
            int flags = 0;
            dnnl_primitive_desc bnPd = null;
            Tensor ws = null;
            if (bn) {
                flags = dnnl_use_scale | dnnl_use_shift | (act == Act.RELU ? dnnl_fuse_norm_relu : 0);
                dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
                Dnnl.check(dnnl_batch_normalization_forward_desc_init(bd, prop, z.md,
                        EPS, flags | (training ? 0 : dnnl_use_global_stats)), name + " batchnorm");
                bnPd = Dnnl.pd(bd, null, null);
                Tensor y = alloc(name + "_bn", Dnnl.query(bnPd, dnnl_query_dst_md, 0));
                dnnl_memory_desc_t cMd = Dnnl.md(new long[]{cout}, dnnl_x);
                gammaT = own(Tensor.external(name + "_gamma", cMd));
                betaT = own(Tensor.external(name + "_beta", cMd));
                if (training) {
                    meanT = alloc(name + "_mean", cMd);
                    varT = alloc(name + "_var", cMd);
                } else {
                    meanT = own(Tensor.external(name + "_running_mean", cMd));
                    varT = own(Tensor.external(name + "_running_var", cMd));
                }
                if (training && act == Act.RELU) {
                    ws = alloc(name + "_relu_mask", Dnnl.query(bnPd, dnnl_query_workspace_md, 0));
                    bnFwd = exec(new Dnnl.Exec(name + " batchnorm", bnPd, DNNL_ARG_SRC, z, DNNL_ARG_SCALE, gammaT, DNNL_ARG_SHIFT,
                            betaT, DNNL_ARG_MEAN, meanT, DNNL_ARG_VARIANCE, varT, DNNL_ARG_WORKSPACE, ws, DNNL_ARG_DST, y));
                } else {
                    bnFwd = exec(new Dnnl.Exec(name + " batchnorm", bnPd, DNNL_ARG_SRC, z, DNNL_ARG_SCALE, gammaT, DNNL_ARG_SHIFT,
                            betaT, DNNL_ARG_MEAN, meanT, DNNL_ARG_VARIANCE, varT, DNNL_ARG_DST, y));
                }
                pre = y;
            } else {
                gammaT = betaT = meanT = varT = null;
                bnFwd = null;
            }
            // an activation of its own: Mish, or ReLU without batchnorm
            dnnl_primitive_desc actPd = null;
            boolean ownAct = act == Act.MISH || (act == Act.RELU && !bn);
            if (ownAct) {
                dnnl_eltwise_desc_t ed = new dnnl_eltwise_desc_t();
                Dnnl.check(dnnl_eltwise_forward_desc_init(ed, prop, act.eltwise(), pre.md, 0f, 0f), name + " activation");
                actPd = Dnnl.pd(ed, null, null);
                out = alloc(name + "_act", pre.md);
                actFwd = exec(new Dnnl.Exec(name + " activation", actPd, DNNL_ARG_SRC, pre, DNNL_ARG_DST, out));
            } else {
                out = pre;
                actFwd = null;
            }
            if (!training) {
                wGradUser = null;
                bGradT = null;
                return;
            }

            // backward, in reverse
            outDiff = alloc(name + "_out_diff", out.md);
            Tensor dPre = outDiff;
            if (ownAct) {
                dnnl_eltwise_desc_t ed = new dnnl_eltwise_desc_t();
                Dnnl.check(dnnl_eltwise_backward_desc_init(ed, act.eltwise(), out.md, pre.md, 0f, 0f), name + " activation backward");
                dPre = alloc(name + "_pre_diff", pre.md);
                actBwd = exec(new Dnnl.Exec(name + " activation backward", Dnnl.pd(ed, null, actPd), DNNL_ARG_SRC, pre,
                        DNNL_ARG_DIFF_DST, outDiff, DNNL_ARG_DIFF_SRC, dPre));
            }
            Tensor dz = dPre;
            if (bn) {
                dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
                Dnnl.check(dnnl_batch_normalization_backward_desc_init(bd, dnnl_backward, pre.md, z.md, EPS, flags),
                        name + " batchnorm backward");
                dz = alloc(name + "_z_diff", z.md);
                dnnl_memory_desc_t cMd = Dnnl.md(new long[]{cout}, dnnl_x);
                diffScale = alloc(name + "_gamma_diff", cMd);
                diffShift = alloc(name + "_beta_diff", cMd);
                dnnl_primitive_desc bbPd = Dnnl.pd(bd, null, bnPd);
                if (ws != null) {
                    bnBwd = exec(new Dnnl.Exec(name + " batchnorm backward", bbPd, DNNL_ARG_SRC, z, DNNL_ARG_MEAN, meanT,
                            DNNL_ARG_VARIANCE, varT, DNNL_ARG_SCALE, gammaT, DNNL_ARG_SHIFT, betaT, DNNL_ARG_WORKSPACE, ws, DNNL_ARG_DIFF_DST, dPre,
                            DNNL_ARG_DIFF_SRC, dz, DNNL_ARG_DIFF_SCALE, diffScale, DNNL_ARG_DIFF_SHIFT, diffShift));
                } else {
                    bnBwd = exec(new Dnnl.Exec(name + " batchnorm backward", bbPd, DNNL_ARG_SRC, z, DNNL_ARG_MEAN, meanT,
                            DNNL_ARG_VARIANCE, varT, DNNL_ARG_SCALE, gammaT, DNNL_ARG_SHIFT, betaT, DNNL_ARG_DIFF_DST, dPre,
                            DNNL_ARG_DIFF_SRC, dz, DNNL_ARG_DIFF_SCALE, diffScale, DNNL_ARG_DIFF_SHIFT, diffShift));
                }
            }
            // kernel (and bias) gradients: the layouts oneDNN's fastest kernels want, reordered into where needed
            dnnl_memory_desc_t anyZ = Dnnl.md(outDims, dnnl_format_tag_any);
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            Dnnl.check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, anySrc, anyW,
                    bn ? null : biasMd, anyZ, strides, padL, padR), name + " convolution backward weights");
            dnnl_primitive_desc bwPd = Dnnl.pd(wd, null, convPd);
            Tensor srcW = converted(src, Dnnl.query(bwPd, dnnl_query_src_md, 0), name + "_src_bww", bwdPre);
            Tensor dzW = converted(dz, Dnnl.query(bwPd, dnnl_query_diff_dst_md, 0), name + "_z_diff_bww", bwdPre);
            Tensor dW = alloc(name + "_w_diff", Dnnl.query(bwPd, dnnl_query_diff_weights_md, 0));
            wGradUser = own(Tensor.external(name + "_w_grad", Dnnl.md(wDims, dnnl_ohwi)));
            if (bn) {
                bGradT = null;
                convBwdW = exec(new Dnnl.Exec(name + " convolution backward weights", bwPd, DNNL_ARG_SRC, srcW,
                        DNNL_ARG_DIFF_DST, dzW, DNNL_ARG_DIFF_WEIGHTS, dW));
            } else {
                bGradT = alloc(name + "_b_diff", biasMd);
                convBwdW = exec(new Dnnl.Exec(name + " convolution backward weights", bwPd, DNNL_ARG_SRC, srcW,
                        DNNL_ARG_DIFF_DST, dzW, DNNL_ARG_DIFF_WEIGHTS, dW, DNNL_ARG_DIFF_BIAS, bGradT));
            }
            gradW = exec(Dnnl.reorder(name + " weight gradient", dW, wGradUser, true));
            // the input's gradient
            if (srcDiff != null) {
                dnnl_convolution_desc_t dd = new dnnl_convolution_desc_t();
                Dnnl.check(dnnl_convolution_backward_data_desc_init(dd, dnnl_convolution_direct, anySrc, anyW, anyZ, strides,
                        padL, padR), name + " convolution backward data");
                dnnl_primitive_desc bdPd = Dnnl.pd(dd, null, convPd);
                dnnl_memory_desc_t wbMd = Dnnl.query(bdPd, dnnl_query_weights_md, 0);
                Tensor wB = wT;
                if (!Dnnl.same(wbMd, wT.md)) {
                    wB = alloc(name + "_w_blocked_bwd", wbMd);
                    bwdDataPre.add(exec(Dnnl.reorder(name + " weights for backward", wUser, wB, false)));
                }
                Tensor dzD = converted(dz, Dnnl.query(bdPd, dnnl_query_diff_dst_md, 0), name + "_z_diff_bwd", bwdDataPre);
                dnnl_memory_desc_t dsMd = Dnnl.query(bdPd, dnnl_query_diff_src_md, 0);
                Tensor dsT = srcDiff;
                if (!Dnnl.same(dsMd, srcDiff.md)) {
                    dsT = alloc(name + "_src_diff_bwd", dsMd);
                    bwdDataPost.add(exec(Dnnl.reorder(name + " input gradient layout", dsT, srcDiff, false)));
                }
                convBwdD = exec(new Dnnl.Exec(name + " convolution backward data", bdPd, DNNL_ARG_DIFF_DST, dzD,
                        DNNL_ARG_WEIGHTS, wB, DNNL_ARG_DIFF_SRC, dsT));
            }
        }

        /** {@code t} itself when it is already laid out as {@code want}, else a copy made so by a reorder added to {@code runs}. */
        private Tensor converted(Tensor t, dnnl_memory_desc_t want, String name, List<Dnnl.Exec> runs) {
            if (Dnnl.same(want, t.md)) {
                return t;
            }
            Tensor c = alloc(name, want);
            runs.add(exec(Dnnl.reorder(name, t, c, false)));
            return c;
        }

        @Override
        void forward() {
            wUser.point(weight.value());
            if (bias != null) {
                bUser.point(bias.value());
            }
            if (gammaT != null) {
                gammaT.point(gamma.value());
                betaT.point(beta.value());
                if (!training) {
                    meanT.point(runMean.value());
                    varT.point(runVar.value());
                }
            }
            if (reorderIn != null) {
                reorderIn.run();
            }
            weightsFwd.run();
            conv.run();
            if (bnFwd != null) {
                bnFwd.run();
                if (training) {
                    updateRunningStatistics();
                }
            }
            if (actFwd != null) {
                actFwd.run();
            }
        }

        /** PyTorch's: running = 0.9 running + 0.1 batch, with the batch's unbiased variance. */
        private void updateRunningStatistics() {
            FloatBuffer m = meanT.floats(), v = varT.floats();
            FloatBuffer rm = runMean.value().data().asNioFloat(), rv = runVar.value().data().asNioFloat();
            double unbias = rows > 1 ? (double) rows / (rows - 1) : 1;
            for (int c = 0; c < cout; c++) {
                rm.put(c, (float) ((1 - MOMENTUM) * rm.get(c) + MOMENTUM * m.get(c)));
                rv.put(c, (float) ((1 - MOMENTUM) * rv.get(c) + MOMENTUM * v.get(c) * unbias));
            }
            Tensor.wrote(runMean.value());
            Tensor.wrote(runVar.value());
        }

        @Override
        void backward() {
            if (actBwd != null) {
                actBwd.run();
            }
            if (bnBwd != null) {
                bnBwd.run();
                add(diffScale, gamma.grad());
                add(diffShift, beta.grad());
            }
            wGradUser.point(weight.grad());
            bwdPre.forEach(Dnnl.Exec::run);
            convBwdW.run();
            gradW.run();
            Tensor.wrote(weight.grad());
            if (bGradT != null) {
                add(bGradT, bias.grad());
            }
            if (convBwdD != null) {
                bwdDataPre.forEach(Dnnl.Exec::run);
                convBwdD.run();
                bwdDataPost.forEach(Dnnl.Exec::run);
                if (reorderBack != null) {
                    reorderBack.run();
                }
            }
        }
    }

    /** grad += the c values of {@code t}. */
    static void add(Tensor t, INDArray grad) {
        FloatBuffer from = t.floats(), to = grad.data().asNioFloat();
        for (int c = 0, n = (int) grad.length(); c < n; c++) {
            to.put(c, to.get(c) + from.get(c));
        }
        Tensor.wrote(grad);
    }
}

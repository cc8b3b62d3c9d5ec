package io.github.fastdl4j.vision.model.fast;

import io.github.fastdl4j.common.module.LayerSummary;
import io.github.fastdl4j.common.module.Parameter;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_inner_product_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * A fully connected layer, {@code y = act(x W^T + b)}: oneDNN's inner product, which takes a
 * [n, c, h, w] map as it lies (flattened in (c, h, w) order, as DL4J's and PyTorch's flatten),
 * then an optional activation. Parameters: {@code <name>_w} [out, in], {@code <name>_b} [1, out].
 */
final class Dense extends Layer {

    /** How the weights are drawn. */
    enum Init {
        /** He normal, variance 2 / fanIn (DL4J's WeightInit.RELU). */
        RELU,
        /** Glorot normal, variance 2 / (fanIn + fanOut) (DL4J's WeightInit.XAVIER, its output layers'). */
        XAVIER
    }

    final int in;
    final int outs;
    final Act act;
    final Parameter weight;
    final Parameter bias;

    Dense(String name, int in, int out, Act act, Init init, Random rng) {
        super(name);
        this.in = in;
        this.outs = out;
        this.act = act;
        double var = init == Init.RELU ? 2.0 / in : 2.0 / (in + out);
        weight = new Parameter(name + "_w", Nd4j.randn(rng, out, in).castTo(DataType.FLOAT).muli(Math.sqrt(var)), true);
        bias = new Parameter(name + "_b", Nd4j.zeros(DataType.FLOAT, 1, out), false);
        params.add(weight);
        params.add(bias);
    }

    @Override
    String type() {
        return "Linear";
    }

    /** Linear, then the activation where it has one. */
    @Override
    List<LayerSummary> summary(long[] inDims) {
        long[] out = outDims(inDims);
        LayerSummary linear = new LayerSummary(name, "Linear",
                out, weight.length() + bias.length());
        return act == Act.NONE ? List.of(linear) : List.of(linear,
                new LayerSummary(name + "_" + act.name().toLowerCase(Locale.ROOT),
                        act.torchName(), out, 0));
    }

    @Override
    long[] outDims(long[] inDims) {
        return new long[]{inDims[0], outs};
    }

    @Override
    Step step(Tensor src, long[] inDims, Tensor inDiff, boolean training) {
        long features = 1;
        for (int i = 1; i < inDims.length; i++) {
            features *= inDims[i];
        }
        if (features != in) {
            throw new IllegalArgumentException(name + " takes " + in + " features, got " + Arrays.toString(inDims));
        }
        return new DenseStep(src, inDims, inDiff, training);
    }

    private final class DenseStep extends Step {
        private final Tensor wUser, bUser, wGradUser, bGradT;
        private final Dnnl.Exec weightsFwd, ip, actFwd;
        private Dnnl.Exec actBwd, bwdW, gradW, weightsBwd, bwdD;

        DenseStep(Tensor src, long[] inDims, Tensor inDiff, boolean training) {
            int n = (int) inDims[0];
            outDims = new long[]{n, outs};
            long[] wDims = inDims.length == 4 ? new long[]{outs, inDims[1], inDims[2], inDims[3]} : new long[]{outs, inDims[1]};
            int userTag = inDims.length == 4 ? dnnl_oihw : dnnl_oi;
            int prop = training ? dnnl_forward_training : dnnl_forward_inference;
            dnnl_memory_desc_t anyW = Dnnl.md(wDims, dnnl_format_tag_any);
            dnnl_memory_desc_t biasMd = Dnnl.md(new long[]{outs}, dnnl_x);
            dnnl_memory_desc_t dstMd = Dnnl.md(outDims, dnnl_nc);
            dnnl_inner_product_desc_t d = new dnnl_inner_product_desc_t();
            Dnnl.check(dnnl_inner_product_forward_desc_init(d, prop, src.md, anyW, biasMd, dstMd), name);
            dnnl_primitive_desc pd = Dnnl.pd(d, null, null);
            wUser = own(Tensor.external(name + "_w", Dnnl.md(wDims, userTag)));
            Tensor wT = alloc(name + "_w_blocked", Dnnl.query(pd, dnnl_query_weights_md, 0));
            weightsFwd = exec(Dnnl.reorder(name + " weights", wUser, wT, false));
            bUser = own(Tensor.external(name + "_b", biasMd));
            Tensor z = alloc(name + "_z", dstMd);
            ip = exec(new Dnnl.Exec(name, pd, DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wT, DNNL_ARG_BIAS, bUser, DNNL_ARG_DST, z));
            dnnl_primitive_desc actPd = null;
            if (act != Act.NONE) {
                dnnl_eltwise_desc_t ed = new dnnl_eltwise_desc_t();
                Dnnl.check(dnnl_eltwise_forward_desc_init(ed, prop, act.eltwise(), dstMd, 0f, 0f), name + " activation");
                actPd = Dnnl.pd(ed, null, null);
                out = alloc(name + "_act", dstMd);
                actFwd = exec(new Dnnl.Exec(name + " activation", actPd, DNNL_ARG_SRC, z, DNNL_ARG_DST, out));
            } else {
                out = z;
                actFwd = null;
            }
            if (!training) {
                wGradUser = null;
                bGradT = null;
                return;
            }
            outDiff = alloc(name + "_out_diff", dstMd);
            Tensor dz = outDiff;
            if (act != Act.NONE) {
                dnnl_eltwise_desc_t ed = new dnnl_eltwise_desc_t();
                Dnnl.check(dnnl_eltwise_backward_desc_init(ed, act.eltwise(), dstMd, dstMd, 0f, 0f), name + " activation backward");
                dz = alloc(name + "_z_diff", dstMd);
                actBwd = exec(new Dnnl.Exec(name + " activation backward", Dnnl.pd(ed, null, actPd), DNNL_ARG_SRC, z,
                        DNNL_ARG_DIFF_DST, outDiff, DNNL_ARG_DIFF_SRC, dz));
            }
            dnnl_inner_product_desc_t bw = new dnnl_inner_product_desc_t();
            Dnnl.check(dnnl_inner_product_backward_weights_desc_init(bw, src.md, anyW, biasMd, dstMd), name + " backward weights");
            dnnl_primitive_desc bwPd = Dnnl.pd(bw, null, pd);
            Tensor dW = alloc(name + "_w_diff", Dnnl.query(bwPd, dnnl_query_diff_weights_md, 0));
            bGradT = alloc(name + "_b_diff", biasMd);
            bwdW = exec(new Dnnl.Exec(name + " backward weights", bwPd, DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, dz,
                    DNNL_ARG_DIFF_WEIGHTS, dW, DNNL_ARG_DIFF_BIAS, bGradT));
            wGradUser = own(Tensor.external(name + "_w_grad", Dnnl.md(wDims, userTag)));
            gradW = exec(Dnnl.reorder(name + " weight gradient", dW, wGradUser, true));
            if (inDiff != null) {
                dnnl_inner_product_desc_t bd = new dnnl_inner_product_desc_t();
                Dnnl.check(dnnl_inner_product_backward_data_desc_init(bd, src.md, anyW, dstMd), name + " backward data");
                dnnl_primitive_desc bdPd = Dnnl.pd(bd, null, pd);
                dnnl_memory_desc_t wbMd = Dnnl.query(bdPd, dnnl_query_weights_md, 0);
                Tensor wB = wT;
                if (!Dnnl.same(wbMd, wT.md)) {
                    wB = alloc(name + "_w_blocked_bwd", wbMd);
                    weightsBwd = exec(Dnnl.reorder(name + " weights for backward", wUser, wB, false));
                }
                bwdD = exec(new Dnnl.Exec(name + " backward data", bdPd, DNNL_ARG_DIFF_DST, dz, DNNL_ARG_WEIGHTS, wB,
                        DNNL_ARG_DIFF_SRC, inDiff));
            }
        }

        @Override
        void forward() {
            wUser.point(weight.value());
            bUser.point(bias.value());
            weightsFwd.run();
            ip.run();
            if (actFwd != null) {
                actFwd.run();
            }
        }

        @Override
        void backward() {
            if (actBwd != null) {
                actBwd.run();
            }
            bwdW.run();
            wGradUser.point(weight.grad());
            gradW.run();
            Tensor.wrote(weight.grad());
            ConvBlock.add(bGradT, bias.grad());
            if (bwdD != null) {
                if (weightsBwd != null) {
                    weightsBwd.run();
                }
                bwdD.run();
            }
        }
    }
}

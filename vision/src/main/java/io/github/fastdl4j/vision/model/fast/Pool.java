package io.github.fastdl4j.vision.model.fast;

import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;

import java.nio.FloatBuffer;
import java.util.Arrays;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Pooling: a k x k max-pool window (stride k), or global pooling over the whole map, average
 * ({@code GLOBAL_AVG}: stride2's head, and the class scores of a simple-cnn whose last map is
 * larger than 1x1) or fastai's {@code AdaptiveConcatPool2d} ({@code CONCAT}: global max and
 * global average side by side, [n, 2c], max first). Global pooling gives plain [n, c] (or
 * [n, 2c]) rows.
 */
final class Pool extends Layer {

    enum Kind { MAX, GLOBAL_AVG, CONCAT }

    final Kind kind;
    final int k;
    final Padding padding;

    Pool(String name, Kind kind, int k, Padding padding) {
        super(name);
        this.kind = kind;
        this.k = k;
        this.padding = padding;
    }

    static Pool max(String name, int k, Padding padding) {
        return new Pool(name, Kind.MAX, k, padding);
    }

    static Pool globalAvg(String name) {
        return new Pool(name, Kind.GLOBAL_AVG, 0, Padding.TORCH);
    }

    static Pool concat(String name) {
        return new Pool(name, Kind.CONCAT, 0, Padding.TORCH);
    }

    @Override
    String type() {
        return switch (kind) {
            case MAX -> "MaxPool2d";
            case GLOBAL_AVG -> "AdaptiveAvgPool2d";
            case CONCAT -> "AdaptiveConcatPool2d";
        };
    }

    @Override
    long[] outDims(long[] in) {
        return switch (kind) {
            case MAX -> new long[]{in[0], in[1], padding.out((int) in[2], k, k, true), padding.out((int) in[3], k, k, true)};
            case GLOBAL_AVG -> new long[]{in[0], in[1]};
            case CONCAT -> new long[]{in[0], 2 * in[1]};
        };
    }

    @Override
    Step step(Tensor in, long[] inDims, Tensor inDiff, boolean training) {
        if (inDims.length != 4) {
            throw new IllegalArgumentException(name + " pools [n, c, h, w] maps, got " + Arrays.toString(inDims));
        }
        return kind == Kind.MAX ? new WindowStep(in, inDims, inDiff, training) : new GlobalStep(in, inDims, inDiff, training);
    }

    /** One pooling primitive forward (and backward), from {@code in} into a tensor it allocates. */
    private static final class Pooling {
        final Tensor dst;
        final Dnnl.Exec fwd;
        Dnnl.Exec bwd;
        Tensor dstDiff;

        Pooling(Step s, String name, int alg, Tensor in, long[] outDims, long[] kernel, long[] strides, long[] padL,
                long[] padR, boolean training, Tensor inDiff, boolean accumulateIntoInDiff) {
            int prop = training ? dnnl_forward_training : dnnl_forward_inference;
            dnnl_pooling_desc_t d = new dnnl_pooling_desc_t();
            Dnnl.check(dnnl_pooling_forward_desc_init(d, prop, alg, in.md, Dnnl.md(outDims, dnnl_format_tag_any), strides,
                    kernel, padL, padR), name);
            dnnl_primitive_desc pd = Dnnl.pd(d, null, null);
            dst = s.alloc(name + "_out", Dnnl.query(pd, dnnl_query_dst_md, 0));
            Tensor ws = null;
            if (training && Dnnl.has(pd, dnnl_query_workspace_md, 0)) {
                ws = s.alloc(name + "_ws", Dnnl.query(pd, dnnl_query_workspace_md, 0));
                fwd = s.exec(new Dnnl.Exec(name, pd, DNNL_ARG_SRC, in, DNNL_ARG_DST, dst, DNNL_ARG_WORKSPACE, ws));
            } else {
                fwd = s.exec(new Dnnl.Exec(name, pd, DNNL_ARG_SRC, in, DNNL_ARG_DST, dst));
            }
            if (!training) {
                return;
            }
            dstDiff = s.alloc(name + "_out_diff", dst.md);
            if (inDiff == null) {
                return;
            }
            dnnl_pooling_desc_t b = new dnnl_pooling_desc_t();
            Dnnl.check(dnnl_pooling_backward_desc_init(b, alg, in.md, dst.md, strides, kernel, padL, padR), name + " backward");
            dnnl_primitive_desc bpd = Dnnl.pd(b, null, pd);
            Tensor target = inDiff;
            Tensor partial = null;
            if (accumulateIntoInDiff) {
                partial = s.alloc(name + "_in_diff", in.md);
                target = partial;
            }
            if (ws != null) {
                bwd = s.exec(new Dnnl.Exec(name + " backward", bpd, DNNL_ARG_DIFF_DST, dstDiff, DNNL_ARG_WORKSPACE, ws,
                        DNNL_ARG_DIFF_SRC, target));
            } else {
                bwd = s.exec(new Dnnl.Exec(name + " backward", bpd, DNNL_ARG_DIFF_DST, dstDiff, DNNL_ARG_DIFF_SRC, target));
            }
            if (partial != null) {
                Dnnl.Exec sum = s.exec(Dnnl.reorder(name + " gradient sum", partial, inDiff, true));
                Dnnl.Exec inner = bwd;
                bwd = null;
                accumulate = () -> {
                    inner.run();
                    sum.run();
                };
            }
        }

        Runnable accumulate;

        void backward() {
            if (accumulate != null) {
                accumulate.run();
            } else if (bwd != null) {
                bwd.run();
            }
        }
    }

    private final class WindowStep extends Step {
        private final Pooling p;

        WindowStep(Tensor in, long[] inDims, Tensor inDiff, boolean training) {
            outDims = outDims(inDims);
            long[] pv = padding.pads((int) inDims[2], k, k, true), ph = padding.pads((int) inDims[3], k, k, true);
            p = new Pooling(this, name, dnnl_pooling_max, in, outDims, new long[]{k, k}, new long[]{k, k},
                    new long[]{pv[0], ph[0]}, new long[]{pv[1], ph[1]}, training, inDiff, false);
            out = p.dst;
            outDiff = p.dstDiff;
        }

        @Override
        void forward() {
            p.fwd.run();
        }

        @Override
        void backward() {
            p.backward();
        }
    }

    /**
     * Global pooling: each pooling gives [n, c, 1, 1] in oneDNN's layout, reordered into plain
     * rows; concat pooling then lays max and average side by side in Java (n x 2c values).
     */
    private final class GlobalStep extends Step {
        private final Pooling max, avg;
        private final Tensor maxRows, avgRows, maxRowsDiff, avgRowsDiff;
        private final Dnnl.Exec maxToRows, avgToRows, maxFromRows, avgFromRows;
        private final int n, c;

        GlobalStep(Tensor in, long[] inDims, Tensor inDiff, boolean training) {
            outDims = outDims(inDims);
            n = (int) inDims[0];
            c = (int) inDims[1];
            long[] kernel = {inDims[2], inDims[3]};
            long[] zero = {0, 0};
            long[] pooled = {n, c, 1, 1};
            dnnl_memory_desc_t rowsMd = Dnnl.md(pooled, dnnl_nchw);
            boolean concat = kind == Kind.CONCAT;
            avg = new Pooling(this, name + "_avg", dnnl_pooling_avg_exclude_padding, in, pooled, kernel, kernel, zero, zero,
                    training, inDiff, false);
            avgRows = alloc(name + "_avg_rows", rowsMd);
            avgToRows = exec(Dnnl.reorder(name + " avg rows", avg.dst, avgRows, false));
            if (concat) {
                max = new Pooling(this, name + "_max", dnnl_pooling_max, in, pooled, kernel, kernel, zero, zero, training,
                        inDiff, true);
                maxRows = alloc(name + "_max_rows", rowsMd);
                maxToRows = exec(Dnnl.reorder(name + " max rows", max.dst, maxRows, false));
                out = alloc(name + "_out", Dnnl.md(outDims, dnnl_nc));
            } else {
                max = null;
                maxRows = null;
                maxToRows = null;
                out = own(avgRows.alias(name + "_out", Dnnl.md(outDims, dnnl_nc)));
            }
            if (!training) {
                maxRowsDiff = avgRowsDiff = null;
                maxFromRows = avgFromRows = null;
                return;
            }
            if (concat) {
                outDiff = alloc(name + "_out_diff", out.md);
                avgRowsDiff = alloc(name + "_avg_rows_diff", rowsMd);
                maxRowsDiff = alloc(name + "_max_rows_diff", rowsMd);
                maxFromRows = exec(Dnnl.reorder(name + " max rows gradient", maxRowsDiff, max.dstDiff, false));
            } else {
                avgRowsDiff = alloc(name + "_avg_rows_diff", rowsMd);
                outDiff = own(avgRowsDiff.alias(name + "_out_diff", Dnnl.md(outDims, dnnl_nc)));
                maxRowsDiff = null;
                maxFromRows = null;
            }
            avgFromRows = exec(Dnnl.reorder(name + " avg rows gradient", avgRowsDiff, avg.dstDiff, false));
        }

        @Override
        void forward() {
            avg.fwd.run();
            avgToRows.run();
            if (max != null) {
                max.fwd.run();
                maxToRows.run();
                FloatBuffer o = out.floats(), mx = maxRows.floats(), av = avgRows.floats();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < c; j++) {
                        o.put(i * 2 * c + j, mx.get(i * c + j));
                        o.put(i * 2 * c + c + j, av.get(i * c + j));
                    }
                }
            }
        }

        @Override
        void backward() {
            if (max != null) {
                FloatBuffer d = outDiff.floats(), mx = maxRowsDiff.floats(), av = avgRowsDiff.floats();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < c; j++) {
                        mx.put(i * c + j, d.get(i * 2 * c + j));
                        av.put(i * c + j, d.get(i * 2 * c + c + j));
                    }
                }
                maxFromRows.run();
            }
            avgFromRows.run();
            // average first (writes the input's gradient), then max (adds to it)
            avg.backward();
            if (max != null) {
                max.backward();
            }
        }
    }
}

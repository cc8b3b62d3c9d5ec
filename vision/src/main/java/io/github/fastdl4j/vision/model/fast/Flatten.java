package io.github.fastdl4j.vision.model.fast;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;

import java.util.Arrays;

/**
 * [n, c, 1, 1] maps in oneDNN's layout to plain rows [n, c]: simple-cnn's flatten after its
 * last convolution (one reorder each way).
 */
final class Flatten extends Layer {

    Flatten(String name) {
        super(name);
    }

    @Override
    String type() {
        return "Flatten";
    }

    @Override
    long[] outDims(long[] in) {
        if (in.length != 4 || in[2] != 1 || in[3] != 1) {
            throw new IllegalArgumentException(name + " flattens [n, c, 1, 1] maps, got " + Arrays.toString(in));
        }
        return new long[]{in[0], in[1]};
    }

    @Override
    Step step(Tensor in, long[] inDims, Tensor inDiff, boolean training) {
        long[] rows = outDims(inDims);
        return new Step() {
            private final Dnnl.Exec fwd, bwd;

            {
                outDims = rows;
                Tensor plain = alloc(name + "_plain", Dnnl.md(inDims, dnnl_nchw));
                fwd = exec(Dnnl.reorder(name, in, plain, false));
                out = own(plain.alias(name + "_out", Dnnl.md(rows, dnnl_nc)));
                if (training) {
                    Tensor plainDiff = alloc(name + "_plain_diff", plain.md);
                    outDiff = own(plainDiff.alias(name + "_out_diff", out.md));
                    bwd = inDiff == null ? null : exec(Dnnl.reorder(name + " backward", plainDiff, inDiff, false));
                } else {
                    bwd = null;
                }
            }

            @Override
            void forward() {
                fwd.run();
            }

            @Override
            void backward() {
                if (bwd != null) {
                    bwd.run();
                }
            }
        };
    }
}

package io.github.fastdl4j.vision.model.fast;

import io.github.fastdl4j.common.module.RestorableRandom;

import java.nio.FloatBuffer;
import java.util.Arrays;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nc;

/**
 * Inverted dropout on plain rows [n, features]: in training each value is dropped with
 * probability p (PyTorch's argument) and the kept ones scaled by 1 / (1 - p); at inference the
 * identity. The rows are few (a dense layer's or the class scores), so this is a JVM loop.
 */
final class Dropout extends Layer {

    final double p;
    // its state goes into a checkpoint (FastNet.randomState): a resumed run draws the same masks
    final RestorableRandom rng;

    Dropout(String name, double p, long seed) {
        super(name);
        if (p <= 0 || p >= 1) {
            throw new IllegalArgumentException("dropout probability must be in (0, 1), got " + p);
        }
        this.p = p;
        this.rng = new RestorableRandom(seed ^ 0x5DEECE66DL);
    }

    @Override
    String type() {
        return "Dropout";
    }

    @Override
    long[] outDims(long[] in) {
        return in;
    }

    @Override
    Step step(Tensor in, long[] inDims, Tensor inDiff, boolean training) {
        if (inDims.length != 2) {
            throw new IllegalArgumentException(name + " takes rows [n, features], got " + Arrays.toString(inDims));
        }
        return new Step() {
            private final float[] mask = training ? new float[(int) (inDims[0] * inDims[1])] : null;

            {
                outDims = inDims;
                if (training) {
                    out = alloc(name + "_out", Dnnl.md(inDims, dnnl_nc));
                    outDiff = alloc(name + "_out_diff", out.md);
                } else {
                    out = in;       // the identity
                }
            }

            @Override
            void forward() {
                if (mask == null) {
                    return;
                }
                FloatBuffer x = in.floats(), y = out.floats();
                float keep = (float) (1 / (1 - p));
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = rng.nextDouble() < p ? 0f : keep;
                    y.put(i, x.get(i) * mask[i]);
                }
            }

            @Override
            void backward() {
                if (inDiff == null) {
                    return;
                }
                FloatBuffer d = outDiff.floats(), dx = inDiff.floats();
                for (int i = 0; i < mask.length; i++) {
                    dx.put(i, d.get(i) * mask[i]);
                }
            }
        };
    }
}

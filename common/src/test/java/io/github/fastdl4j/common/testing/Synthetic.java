package io.github.fastdl4j.common.testing;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.DataLoaders;

import java.util.Random;

/** A synthetic regression: y = 0.8 x1 - 0.5 x2 + 0.3 x1 x2 + 0.2, x uniform in [-1, 1], no noise. */
public final class Synthetic {

    private Synthetic() {
    }

    public static DataLoaders regression(int nTrain, int nValid, int batchSize, long seed) {
        return new DataLoaders(loader(nTrain, batchSize, seed, true), loader(nValid, 256, seed + 1, false));
    }

    private static ArrayDataLoader loader(int n, int bs, long seed, boolean shuffle) {
        Random r = new Random(seed);
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float a = r.nextFloat() * 2 - 1;
            float b = r.nextFloat() * 2 - 1;
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = 0.8f * a - 0.5f * b + 0.3f * a * b + 0.2f;
        }
        ArrayDataLoader.Builder bld = ArrayDataLoader.builder().input(x, 2).label(y, 1).batchSize(bs);
        if (shuffle) {
            bld.shuffle(seed);
        }
        return bld.build();
    }
}

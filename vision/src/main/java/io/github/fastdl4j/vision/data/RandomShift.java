package io.github.fastdl4j.vision.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Data augmentation for training batches: each image [c, h, w] is moved by a random whole
 * number of pixels, up to {@code maxShift} in each direction (all channels alike), the uncovered
 * border filled with the background value (a normalised black pixel, per channel). The simplest of fastai's {@code aug_transforms}
 * and the classic MNIST one: the network sees the same digit at slightly different places, so it
 * cannot learn exact pixel positions. Seeded: the same run gives the same shifts.
 */
public final class RandomShift implements MultiDataSetPreProcessor {

    private final int maxShift;
    private final float[] background;
    private final SplittableRandom rng;

    /**
     * @param maxShift   largest shift in pixels (each of x and y uniform in -max..max)
     * @param background value of the pixels moved in from outside (the normalised 0 pixel)
     * @param seed       random seed
     */
    public RandomShift(int maxShift, float background, long seed) {
        this(maxShift, new float[]{background}, seed);
    }

    /**
     * @param maxShift   largest shift in pixels
     * @param background per channel, the value of pixels moved in from outside; one value for
     *                   all channels if it has one
     * @param seed       random seed
     */
    public RandomShift(int maxShift, float[] background, long seed) {
        if (maxShift < 1) {
            throw new IllegalArgumentException("a shift augmentation needs maxShift >= 1, got " + maxShift);
        }
        this.maxShift = maxShift;
        this.background = background.clone();
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public void preProcess(MultiDataSet batch) {
        INDArray images = batch.getFeatures(0);
        long[] s = images.shape();
        int n = (int) s[0], c = (int) s[1], h = (int) s[2], w = (int) s[3];
        if (s.length != 4 || (background.length != 1 && background.length != c)) {
            throw new IllegalArgumentException("RandomShift expects images [n, " + background.length + ", h, w], got "
                    + Arrays.toString(s));
        }
        float[] in = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[in.length];
        for (int p = 0; p < n * c; p++) {
            Arrays.fill(out, p * h * w, (p + 1) * h * w, background[background.length == 1 ? 0 : p % c]);
        }
        for (int i = 0; i < n; i++) {
            int dy = rng.nextInt(2 * maxShift + 1) - maxShift;
            int dx = rng.nextInt(2 * maxShift + 1) - maxShift;
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * h * w;
                for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
                    // row y of the output is row y - dy of the input, moved dx to the right
                    int from = base + (y - dy) * w, to = base + y * w;
                    int x0 = Math.max(0, dx), x1 = Math.min(w, w + dx);
                    System.arraycopy(in, from + x0 - dx, out, to + x0, x1 - x0);
                }
            }
        }
        batch.setFeatures(0, Nd4j.create(out, s, 'c'));
    }
}

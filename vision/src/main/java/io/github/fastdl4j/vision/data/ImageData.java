package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.vision.model.InputSpec;

import java.util.Map;

/**
 * Labelled images a {@code VisionLearner} trains on: MNIST's IDX files ({@link Mnist}) or a
 * folder of image files ({@link ImageFolder}). The validation images are part of the data (split
 * off the training images, or a folder of their own); the test images, where there are any, are
 * read once at the end.
 */
public interface ImageData {

    /** Channels, size, class names and the training images' normalisation. */
    InputSpec input();

    /** SHA-256 of the data: which data a model was trained on (a resumed run must read the same). */
    String checksum();

    /**
     * Training batches (shuffled per epoch with {@code seed}; {@code subset} > 0 keeps that many
     * training images; {@code shift} > 0 moves them by up to that many pixels at random) and
     * validation batches (in order).
     *
     * @param validSize MNIST: validation images taken from the training images (null: the
     *                  default); folders choose theirs when they are read and refuse it
     */
    DataLoaders loaders(int batchSize, long seed, int subset, int shift, Integer validSize);

    /** Test images (0: none). */
    int testSize();

    /** The test images, in order: read once, after every choice was made on the validation set. */
    ArrayDataLoader testLoader(int batchSize);

    /**
     * The line a training run prints about the data it read: the image counts of the split
     * ({@code validFromTest}: MNIST's test images validate), where the images came from and how
     * they were read ({@code readSeconds}).
     */
    String describe(long trainImages, long validImages, boolean validFromTest, double readSeconds);

    /** What the run's summary says of the input beside the model ("" where the data's name says it all, as MNIST's). */
    String inputNote();

    /** What the data adds to a run's metrics (a folder: its classes and the skipped files), in order. */
    Map<String, Object> facts();
}

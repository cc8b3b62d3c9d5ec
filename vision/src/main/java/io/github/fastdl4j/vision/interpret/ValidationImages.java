package io.github.fastdl4j.vision.interpret;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.vision.data.ImageFiles;
import io.github.fastdl4j.vision.data.ImageFolder;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.model.InputSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation images a model was chosen on, as {@code vision interpret} and the server's
 * confusion matrix read them: a folder's {@code valid/} or its random share, or MNIST's
 * validation split of the training images (never the test images), normalised as the model was.
 *
 * @param pixels  normalised images, channels x size x size each
 * @param labels  their classes (indices into the model's classes)
 * @param names   what each image is called in a report (a path under the folder, "training image N")
 * @param source  where they came from, in words
 * @param warning a line about files that could not be read (folders), or null
 */
public record ValidationImages(float[] pixels, int[] labels, List<String> names, String source, String warning) {

    /** A folder model's validation images under {@code root}. */
    public static ValidationImages folder(Path root, InputSpec in, boolean strict) {
        ImageFolder.Validation v = ImageFolder.validation(root, in, strict);
        List<String> names = new ArrayList<>();
        v.images().files().forEach(f -> names.add(root.relativize(f).toString()));
        return new ValidationImages(v.images().pixels(), v.images().labels(), names, v.source(), ImageFiles.warning(v.skipped()));
    }

    /**
     * An MNIST model's validation split of this MNIST's training images (the training run's split:
     * its size, the fixed seed), renormalised from this MNIST's statistics to the model's.
     *
     * @throws BadInputException when the model validated on more images than this MNIST has for training
     */
    public static ValidationImages mnist(Mnist mnist, InputSpec in) {
        int validSize = in.validSize() != null ? in.validSize() : mnist.defaultValidSize();
        if (validSize >= mnist.trainSize()) {
            throw new BadInputException("the model validated on " + validSize + " MNIST images; this MNIST has "
                    + mnist.trainSize() + " training images");
        }
        Split split = Splits.random(mnist.trainSize(), (double) validSize / mnist.trainSize(), Mnist.SPLIT_SEED);
        float[] pixels = new float[split.valid().length * Mnist.PIXELS];
        int[] labels = new int[split.valid().length];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            int row = split.valid()[i];
            labels[i] = mnist.trainLabels()[row];
            names.add("training image " + row);
            for (int k = 0; k < Mnist.PIXELS; k++) {
                double raw = mnist.trainImages()[row * Mnist.PIXELS + k] * mnist.std() + mnist.mean();
                pixels[i * Mnist.PIXELS + k] = (float) ((raw - in.means()[0]) / in.stds()[0]);
            }
        }
        return new ValidationImages(pixels, labels, names, "the training run's split of MNIST's " + mnist.trainSize()
                + " training images", null);
    }
}

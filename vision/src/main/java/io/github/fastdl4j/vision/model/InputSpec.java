package io.github.fastdl4j.vision.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What a vision network takes and gives, decided by the data: image channels and size, the
 * class names (the network's outputs, in order), the per-channel normalisation of pixels scaled
 * to [0, 1], and where the images came from (which also says how a picture is read for
 * prediction and which validation images an interpretation uses).
 *
 * @param channels  1 (grey) or 3 (colour, in OpenCV's order: blue, green, red)
 * @param size      images are size x size
 * @param classes   class names, in output order (sorted folder names; "0".."9" for MNIST)
 * @param means     per-channel mean of the training pixels (in [0, 1])
 * @param stds      per-channel standard deviation
 * @param data      {@link #MNIST} (MNIST's IDX files; pictures are read as digits) or
 *                  {@link #FOLDER} (an image folder read through DataVec)
 * @param validPct  for a folder without {@code valid/}: the share split off at random for validation
 * @param validSize for MNIST: validation images taken from the training images (null: a sixth; 0: none,
 *                  the test set validated, fastbook's layout)
 */
public record InputSpec(int channels, int size, List<String> classes, double[] means, double[] stds, String data,
                        Double validPct, Integer validSize) {

    public static final String MNIST = "mnist";
    public static final String FOLDER = "folder";
    /** Image sizes a network is built for: --size and a saved spec must lie in this range. */
    public static final int MIN_SIZE = 8;
    public static final int MAX_SIZE = 256;
    /** At most this many classes (a crafted spec cannot ask for a huge classifier). */
    public static final int MAX_CLASSES = 10_000;

    /** Checks every field; a bad one is an {@link IllegalArgumentException} saying which. */
    public InputSpec {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("image size must be " + MIN_SIZE + ".." + MAX_SIZE + ", got " + size);
        }
        if (classes == null || classes.isEmpty() || classes.size() > MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be 1.." + MAX_CLASSES + " names, got "
                    + (classes == null ? "none" : classes.size()));
        }
        Set<String> seen = new HashSet<>();
        for (String c : classes) {
            if (c == null || c.isBlank() || c.length() > 255 || !seen.add(c)) {
                throw new IllegalArgumentException("class names must be distinct, non-empty and at most 255 characters, got '"
                        + c + "'");
            }
        }
        classes = List.copyOf(classes);
        if (means == null || stds == null || means.length != channels || stds.length != channels) {
            throw new IllegalArgumentException("normalisation needs one mean and one std per channel (" + channels + ")");
        }
        for (int c = 0; c < channels; c++) {
            if (!Double.isFinite(means[c]) || !(stds[c] > 0) || !Double.isFinite(stds[c])) {
                throw new IllegalArgumentException("bad normalisation of channel " + c + ": mean " + means[c] + ", std " + stds[c]);
            }
        }
        means = means.clone();
        stds = stds.clone();
        if (!MNIST.equals(data) && !FOLDER.equals(data)) {
            throw new IllegalArgumentException("data must be " + MNIST + " or " + FOLDER + ", got '" + data + "'");
        }
        if (MNIST.equals(data) && (channels != 1 || size != 28 || classes.size() != 10)) {
            throw new IllegalArgumentException("an MNIST model takes 1 channel of 28x28 and has 10 classes");
        }
        if (validPct != null && !(validPct > 0 && validPct < 1)) {
            throw new IllegalArgumentException("validPct must be in (0, 1), got " + validPct);
        }
        if (validSize != null && validSize < 0) {
            throw new IllegalArgumentException("validSize must be at least 0, got " + validSize);
        }
    }

    /** MNIST's digits: one 28x28 channel, classes "0".."9", normalised with the training pixels' mean and std. */
    public static InputSpec mnist(double mean, double std) {
        return new InputSpec(1, 28, digits(), new double[]{mean}, new double[]{std}, MNIST, null, null);
    }

    /** The class names "0".."9". */
    public static List<String> digits() {
        return IntStream.range(0, 10).mapToObj(String::valueOf).toList();
    }

    public boolean isMnist() {
        return MNIST.equals(data);
    }

    public int classCount() {
        return classes.size();
    }

    /** Values per image: channels x size x size. */
    public int pixels() {
        return channels * size * size;
    }

    /** This spec with MNIST's validation size recorded. */
    public InputSpec withValidSize(Integer n) {
        return new InputSpec(channels, size, classes, means, stds, data, validPct, n);
    }

    /**
     * Normalises pixels in [0, 1], laid out [channel][y][x] per image (any number of images),
     * in place: {@code (v - mean[c]) / std[c]}.
     */
    public float[] normalise(float[] pixels) {
        int plane = size * size;
        for (int i = 0; i < pixels.length; i++) {
            int c = (i / plane) % channels;
            pixels[i] = (float) ((pixels[i] - means[c]) / stds[c]);
        }
        return pixels;
    }

    /** Undoes {@link #normalise} for one image: values back in [0, 1] (a copy). */
    public float[] denormalise(float[] image) {
        float[] out = new float[image.length];
        int plane = size * size;
        for (int i = 0; i < image.length; i++) {
            int c = (i / plane) % channels;
            out[i] = (float) (image[i] * stds[c] + means[c]);
        }
        return out;
    }

    /** A short description, e.g. {@code 3x32x32, 4 classes [cat, dog, ...]}. */
    public String describe() {
        List<String> shown = new ArrayList<>(classes.subList(0, Math.min(8, classes.size())));
        if (classes.size() > 8) {
            shown.add("...");
        }
        return channels + "x" + size + "x" + size + ", " + classes.size() + " classes " + shown;
    }
}

package io.github.fastdl4j.vision.model;

import java.util.Arrays;

/** The architectures, by their command-line names (described for MNIST; channels, size and classes come from the data). */
public enum Arch {
    /** conv 5x5 -> max-pool -> conv 5x5 -> max-pool -> dense -> dropout -> softmax. */
    CLASSIC("classic"),
    /** stride-2 3x3 convs (28 -> 14 -> 7), more channels, global average pooling, linear classifier. */
    STRIDE2("stride2"),
    /** the stride-2 trunk with fastai's concat pooling (global max and average, concatenated). */
    CONCAT("concat"),
    /** fastbook's chapter-13 simple_cnn: ConvLayer(ks=3, stride=2) = conv + batchnorm + ReLU, 1-8-16-32-64-10. */
    SIMPLE_CNN("simple-cnn"),
    /** simple-cnn four times wider: 1-32 (5x5)-64-128-256-10, the same five stride-2 ConvLayers. */
    WIDE_CNN("wide-cnn");

    private final String cliName;

    Arch(String cliName) {
        this.cliName = cliName;
    }

    /**
     * Channels of the five stride-2 ConvLayers (input first) of simple-cnn and wide-cnn on
     * MNIST (1 channel in, 10 digits out), or null for the other architectures.
     */
    public int[] convLayerChannels() {
        return convLayerChannels(1, 10);
    }

    /**
     * As {@link #convLayerChannels()} for images of {@code inputChannels} channels and
     * {@code classes} classes: the first and last counts come from the data, the middle ones
     * are the architecture's.
     */
    public int[] convLayerChannels(int inputChannels, int classes) {
        return switch (this) {
            case SIMPLE_CNN -> new int[]{inputChannels, 8, 16, 32, 64, classes};
            case WIDE_CNN -> new int[]{inputChannels, 32, 64, 128, 256, classes};
            default -> null;
        };
    }

    public String cliName() {
        return cliName;
    }

    public static Arch of(String name) {
        return Arrays.stream(values()).filter(a -> a.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown architecture '" + name + "': expected one of "
                        + Arrays.stream(values()).map(Arch::cliName).toList()));
    }

    @Override
    public String toString() {
        return cliName;
    }
}

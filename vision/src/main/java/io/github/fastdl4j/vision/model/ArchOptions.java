package io.github.fastdl4j.vision.model;

/**
 * Options shared by the architectures.
 *
 * @param activation {@code relu} or {@code mish}
 * @param dropout    probability of <em>dropping</em> a unit, as in PyTorch (0 = no dropout);
 *                   DL4J's own argument is the probability to keep, see {@link io.github.fastdl4j.common.dl4j.Dropouts#drop}
 * @param batchnorm  batchnorm after each convolution
 * @param seed       initialisation seed
 */
public record ArchOptions(String activation, double dropout, boolean batchnorm, long seed) {

    public ArchOptions {
        if (!activation.equals("relu") && !activation.equals("mish")) {
            throw new IllegalArgumentException("activation must be relu or mish, got '" + activation + "'");
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout is the probability of dropping, in [0, 1), got " + dropout);
        }
    }

    /** ReLU, no dropout, batchnorm on. */
    public static ArchOptions defaults(long seed) {
        return new ArchOptions("relu", 0, true, seed);
    }
}

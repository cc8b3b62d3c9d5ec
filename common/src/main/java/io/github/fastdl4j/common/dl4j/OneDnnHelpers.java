package io.github.fastdl4j.common.dl4j;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Switches DL4J's oneDNN layer helpers (convolution, pooling, batchnorm, LRN) on or off.
 *
 * <p>In DL4J 1.0.0-M2.1 they are off for two reasons: the system property
 * {@value #DISABLE_PROPERTY} defaults to {@code true}, and the availability check looks up a
 * class that M2.1 renamed (fixed by the shim {@code org.nd4j.nativeblas.Nd4jCpu} in this module).
 * They take effect for layers created <em>after</em> the switch, and only with an nd4j-native
 * build that has oneDNN (the {@code -onednn-avx2} classifier, which the {@code cpu} profile uses).
 * Measured on this project's 2-core machine: 2-3x faster training of a small conv net.
 */
public final class OneDnnHelpers {

    /** DL4J's switch; "true" (its default) disables every helper. */
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnnHelpers() {
    }

    /** Switches the helpers on or off for networks created from now on. */
    public static void enable(boolean on) {
        System.setProperty(DISABLE_PROPERTY, Boolean.toString(!on));
        Nd4j.getEnvironment().allowHelpers(on);
    }

    /** Whether new layers will get oneDNN helpers (switched on, and the native build has oneDNN). */
    public static boolean active() {
        return !Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY, "true"))
                && Nd4j.getEnvironment().helpersAllowed() && BaseMKLDNNHelper.mklDnnEnabled();
    }
}

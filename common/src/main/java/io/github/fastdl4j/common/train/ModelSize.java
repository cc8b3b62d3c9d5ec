package io.github.fastdl4j.common.train;

import com.sun.management.OperatingSystemMXBean;
import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Whether a model fits before it is built: ND4J allocates parameters off the Java heap, and an
 * allocation beyond what the machine or JavaCPP allows crashes the JVM instead of throwing. So a
 * model's size (from its options, or from the spec of a zip being loaded) is checked first, and one
 * that cannot fit is an {@link IllegalArgumentException} with one line saying how much it needs.
 */
public final class ModelSize {

    /** Bytes per parameter while training: the weights, their gradients and AdamW's two moments, in float. */
    static final long BYTES_PER_VALUE = 4 * 4;

    private ModelSize() {
    }

    /** Refuses a model of {@code values} parameters that cannot be trained in this JVM's memory. */
    public static void check(long values, String what) {
        check(values, what, null);
    }

    /** As {@link #check(long, String)}, the refusal ending with {@code advice} (which options make the model smaller). */
    public static void check(long values, String what, String advice) {
        if (values < 0) {
            throw new IllegalArgumentException(what + " would have more parameters than can be counted");
        }
        long need = multiply(values, BYTES_PER_VALUE);
        long offHeap = Pointer.maxBytes() > 0 ? Pointer.maxBytes() : Long.MAX_VALUE;
        long heap = Runtime.getRuntime().maxMemory();
        long physical = physicalMemory();
        long limit = Math.min(saturatingAdd(offHeap, heap), physical);
        if (need > limit) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s would have %,d parameters, %s to train, "
                    + "more than the %s this JVM may use (the launcher's JAVA_OPTS set -Xmx and "
                    + "-Dorg.bytedeco.javacpp.maxbytes)%s", what, values, gb(need), gb(limit), advice == null ? "" : "; " + advice));
        }
    }

    /** {@code a * b}, or Long.MAX_VALUE when it overflows. */
    public static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatingAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    private static long physicalMemory() {
        try {
            return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
        } catch (RuntimeException | LinkageError e) {
            return Long.MAX_VALUE;
        }
    }

    private static String gb(long bytes) {
        return bytes == Long.MAX_VALUE ? "unbounded memory" : String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}

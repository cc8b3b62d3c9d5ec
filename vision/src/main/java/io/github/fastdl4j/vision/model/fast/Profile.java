package io.github.fastdl4j.vision.model.fast;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a fast net's time goes: an opt-in profiler, on with {@code -Dfastdl4j.dnnl.profile=true}
 * (e.g. {@code JAVA_OPTS="-Xmx3g -Dorg.bytedeco.javacpp.maxbytes=2G -Dfastdl4j.dnnl.profile=true"
 * ./fastdl4j vision bench --archs simple-cnn --builds scratch}: the bench then prints a table per
 * run on standard error). It sums the wall time of every oneDNN primitive, by its name (layer and
 * part, e.g. {@code conv2 batchnorm backward}), and of each whole forward and backward pass
 * ({@code java: ...}: the primitives plus what the JVM does around them), until {@link #reset}.
 * Off by default: one check of a constant per primitive, which the JIT removes.
 */
public final class Profile {

    private static final String WHOLE = "java: ";
    private static final Map<String, long[]> TIMES = new LinkedHashMap<>();

    private Profile() {
    }

    static synchronized void add(String name, long nanos) {
        long[] t = TIMES.computeIfAbsent(name, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
    }

    /** Whether {@code -Dfastdl4j.dnnl.profile=true} was given. */
    public static boolean enabled() {
        return Dnnl.PROFILE;
    }

    public static synchronized void reset() {
        TIMES.clear();
    }

    /**
     * A table: the primitives, largest first (seconds, share of all primitives' time, calls),
     * their total, then the whole passes, which include the primitives; what they spend beyond
     * the primitives is the JVM's part (copies of inputs and outputs, calls).
     */
    public static synchronized String table() {
        long prims = TIMES.entrySet().stream().filter(e -> !e.getKey().startsWith(WHOLE)).mapToLong(e -> e.getValue()[0]).sum();
        long whole = TIMES.entrySet().stream().filter(e -> e.getKey().startsWith(WHOLE)).mapToLong(e -> e.getValue()[0]).sum();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-48s %9s %6s %7s%n", "primitive", "seconds", "share", "calls"));
        TIMES.entrySet().stream().filter(e -> !e.getKey().startsWith(WHOLE))
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0]))
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%-48s %9.3f %5.1f%% %7d%n", e.getKey(), e.getValue()[0] / 1e9,
                        100.0 * e.getValue()[0] / Math.max(prims, 1), e.getValue()[1])));
        sb.append(String.format(Locale.ROOT, "%-48s %9.3f%n", "all primitives", prims / 1e9));
        TIMES.entrySet().stream().filter(e -> e.getKey().startsWith(WHOLE))
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%-48s %9.3f %6s %7d%n", e.getKey(), e.getValue()[0] / 1e9, "",
                        e.getValue()[1])));
        if (whole > 0) {
            sb.append(String.format(Locale.ROOT, "%-48s %9.3f%n", "java: passes beyond the primitives", (whole - prims) / 1e9));
        }
        return sb.toString();
    }
}

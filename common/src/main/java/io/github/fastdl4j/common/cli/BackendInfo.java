package io.github.fastdl4j.common.cli;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The one line every job prints at start: backend (CPU/GPU), device, threads, BLAS, and which
 * native build (nd4j-native classifier) was loaded.
 *
 * @param backend    CPU or CUDA
 * @param device     CPU model or GPU name
 * @param threads    ND4J's OpenMP threads
 * @param blas       BLAS vendor
 * @param classifier the native build that was loaded, e.g. {@code linux-x86_64-avx2}
 * @param build      binary level and oneDNN/cuDNN flags from the native build information
 */
public record BackendInfo(String backend, String device, String threads, String blas, String classifier, String build) {

    /** Reads the information of the backend ND4J loaded (loading it if needed). */
    public static BackendInfo current() {
        Properties p = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = p.getProperty("backend", "unknown");
        String buildInfo = "";
        try {
            buildInfo = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        } catch (RuntimeException | LinkageError e) {
            buildInfo = "";
        }
        return new BackendInfo(backend, device(p, backend), prop(p, "omp.threads"),
                prop(p, "blas.vendor"), loadedClassifier(), summarise(buildInfo));
    }

    /** The line printed at start. */
    public String line() {
        return "backend: " + backend + " | device: " + device + " | threads: " + threads + " | BLAS: " + blas
                + " | classifier: " + classifier + (build.isEmpty() ? "" : " | build: " + build);
    }

    /** Short form for JSON benchmark lines, e.g. {@code CPU/linux-x86_64-avx2}. */
    public String shortName() {
        return backend + "/" + classifier;
    }

    /** Values are not all strings (cores is an Integer), so getProperty would miss them. */
    private static String prop(Properties p, String key) {
        Object v = p.get(key);
        return v == null ? "?" : String.valueOf(v);
    }

    private static String device(Properties p, String backend) {
        Object gpus = p.get("cuda.devicesInformation");
        if (gpus instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> m) {
            Object name = m.get("cuda.deviceName");
            if (name != null) {
                return name + (list.size() > 1 ? " x" + list.size() : "");
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + " (" + prop(p, "cores") + " cores)";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return backend + " (" + prop(p, "cores") + " cores)";
    }

    /** The platform folder of the loaded nd4j native library (JavaCPP names it after the classifier). */
    private static String loadedClassifier() {
        try {
            Class<?> loader = Class.forName("org.bytedeco.javacpp.Loader");
            @SuppressWarnings("unchecked")
            Map<String, String> libs = (Map<String, String>) loader.getMethod("getLoadedLibraries").invoke(null);
            for (Map.Entry<String, String> e : libs.entrySet()) {
                String path = String.valueOf(e.getValue());
                if (path.contains("nd4j")) {
                    Path parent = Path.of(path).getParent();
                    return parent == null ? path : parent.getFileName().toString();
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // fall through
        }
        return "unknown";
    }

    /** The HAVE_* feature flags of the native build (HAVE_OPENBLAS, HAVE_ONEDNN, HAVE_CUDNN, ...). */
    private static String summarise(String info) {
        return info.lines().map(String::trim).filter(l -> l.startsWith("HAVE_")).map(l -> l.substring(5))
                .collect(Collectors.joining(","));
    }
}

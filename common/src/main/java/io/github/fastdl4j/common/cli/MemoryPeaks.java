package io.github.fastdl4j.common.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Peak memory for benchmarks: the JVM heap's (resettable) and the process's resident set (Linux). */
public final class MemoryPeaks {

    private MemoryPeaks() {
    }

    /** Collects garbage and starts the heap peaks anew. */
    public static void reset() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    /** Peak heap use since the last {@link #reset}, in MiB. */
    public static long heapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }

    /**
     * Adds the peaks to a bench's JSON line: {@code peak_heap_mb} (since the last {@link #reset})
     * and {@code peak_rss_mb} (the whole process so far: heap, ND4J's off-heap memory, native
     * libraries; what {@code /usr/bin/time -v} calls maximum resident set size).
     */
    public static void putInto(Map<String, Object> line) {
        line.put("peak_heap_mb", heapMb());
        line.put("peak_rss_mb", residentMb());
    }

    /**
     * The process's peak resident set in MiB (heap, ND4J's off-heap buffers, everything), from
     * {@code /proc/self/status}; -1 where that file does not exist. It cannot be reset.
     */
    public static long residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}

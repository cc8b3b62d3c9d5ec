package io.github.fastdl4j.common.module;

import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Splits the rows of a batch into one contiguous range per core, for the JVM loops of
 * from-scratch modules: each range is processed by one thread of the common fork-join pool
 * (and the caller), writing disjoint parts of the output. The ranges are fixed by the row count
 * and core count alone, so results are the same from run to run on one machine (sums split
 * over ranges round differently on a machine with another core count).
 */
public final class RowRanges {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private RowRanges() {
    }

    /**
     * Ranges {@code [from, to)} covering {@code 0..rows}: one per core (a parallel stream) when
     * {@code split}, else the single range on the calling thread.
     */
    public static Stream<int[]> of(int rows, boolean split) {
        int parts = split ? Math.max(1, Math.min(CORES, rows)) : 1;
        Stream<int[]> s = IntStream.range(0, parts)
                .mapToObj(k -> new int[]{(int) ((long) rows * k / parts), (int) ((long) rows * (k + 1) / parts)});
        return parts > 1 ? s.parallel() : s;
    }
}

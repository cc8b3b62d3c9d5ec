package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The simulator's {@code expected.csv}: noise-free expected sales per (store, date). Scoring these
 * against the actual sales gives the noise floor: the best exp_rmspe any model can expect.
 */
public final class ExpectedSales {

    // sorted (store, day) keys and their expected sales: a million boxed map entries cost ~80 MB, these 16
    private final long[] keys;
    private final double[] values;

    private ExpectedSales(long[] keys, double[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** Reads {@code dir/expected.csv}, or returns null when the folder has none (real data). */
    public static ExpectedSales readIfPresent(Path dir) {
        Path file = dir.resolve("expected.csv");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Map<String, Long> days = new HashMap<>();
        CsvTable t = Rossmann.table(file, List.of("Store", "Date", "ExpectedSales"), Map.of("Date", CsvTable.Type.TEXT));
        double[] store = t.numbers("Store");
        double[] expected = t.numbers("ExpectedSales");
        String[] date = t.texts("Date");
        long[] keys = new long[t.rows()];
        for (int i = 0; i < t.rows(); i++) {
            long line = t.line(i);
            if (Double.isNaN(store[i]) || Double.isNaN(expected[i]) || date[i] == null) {
                throw BadInputException.at(file, line, "line", "expected Store,Date,ExpectedSales with no empty field");
            }
            long day = days.computeIfAbsent(date[i], s -> {
                try {
                    return LocalDate.parse(s).toEpochDay();
                } catch (DateTimeParseException e) {
                    throw BadInputException.at(file, line, "Date", "expected yyyy-MM-dd, got '" + s + "'");
                }
            });
            keys[i] = key((long) store[i], day);
        }
        int[] idx = sortedIndex(keys);
        long[] sortedKeys = new long[idx.length];
        double[] sortedValues = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            sortedKeys[i] = keys[idx[i]];
            sortedValues[i] = expected[idx[i]];
        }
        return new ExpectedSales(sortedKeys, sortedValues);
    }

    /** The rows in key order, ties in row order (a stable sort), without a boxed index per row. */
    private static int[] sortedIndex(long[] keys) {
        int n = keys.length;
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (long k : keys) {
            lo = Math.min(lo, k);
            hi = Math.max(hi, k);
        }
        if (n == 0 || (double) (hi - lo) * n >= Long.MAX_VALUE / 2 || hi - lo < 0) {
            return IntStream.range(0, n).boxed().sorted(Comparator.comparingLong(i -> keys[i]))
                    .mapToInt(Integer::intValue).toArray();
        }
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = (keys[i] - lo) * n + i;
        }
        Arrays.sort(packed);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = (int) (packed[i] % n);
        }
        return idx;
    }

    private static long key(long store, long day) {
        return store * 1_000_000L + day;
    }

    /** Expected sales of the rows {@code rows} of a frame with Store and Date (epoch days); NaN if unknown. */
    public double[] of(TabularFrame f, int[] rows) {
        double[] store = f.numbers("Store"), date = f.numbers("Date");
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int at = Arrays.binarySearch(keys, key((long) store[rows[i]], (long) date[rows[i]]));
            out[i] = at >= 0 ? values[at] : Double.NaN;
        }
        return out;
    }
}

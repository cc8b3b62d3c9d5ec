package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.CsvRows;
import io.github.fastdl4j.common.data.DataException;
import org.apache.commons.csv.CSVFormat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's {@code expected.csv}: noise-free expected sales per (store, date). Scoring these
 * against the actual sales gives the noise floor: the best exp_rmspe any model can expect.
 */
public final class ExpectedSales {

    private final Map<Long, Double> byStoreDay;

    private ExpectedSales(Map<Long, Double> byStoreDay) {
        this.byStoreDay = byStoreDay;
    }

    /** Reads {@code dir/expected.csv}, or returns null when the folder has none (real data). */
    public static ExpectedSales readIfPresent(Path dir) {
        Path file = dir.resolve("expected.csv");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Map<Long, Double> m = new HashMap<>();
        CSVFormat csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        Map<String, Long> days = new HashMap<>();
        CsvRows.read(file, StandardCharsets.UTF_8, csv, true, List.of("Store", "Date", "ExpectedSales"), (r, line) -> {
            try {
                long day = days.computeIfAbsent(r.get("Date"), s -> LocalDate.parse(s).toEpochDay());
                m.put(key(Long.parseLong(r.get("Store")), day), Double.parseDouble(r.get("ExpectedSales")));
            } catch (RuntimeException e) {
                throw DataException.at(file, line, "line", "expected Store,Date,ExpectedSales: " + e.getMessage());
            }
        });
        return new ExpectedSales(m);
    }

    private static long key(long store, long day) {
        return store * 1_000_000L + day;
    }

    /** Expected sales of the rows {@code rows} of a frame with Store and Date (epoch days); NaN if unknown. */
    public double[] of(TabularFrame f, int[] rows) {
        double[] store = f.numbers("Store"), date = f.numbers("Date");
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = byStoreDay.getOrDefault(key((long) store[rows[i]], (long) date[rows[i]]), Double.NaN);
        }
        return out;
    }
}

package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.CsvRows;
import io.github.fastdl4j.common.data.DataException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads shop-sales data in the Rossmann competition's layout (see ../shared/data/README.md):
 * {@code train.csv} (or {@code test.csv}) joined with {@code store.csv} and, when present,
 * {@code store_states.csv}. Numbers become numeric columns (NaN where empty), dates epoch days,
 * codes text. Every problem is a {@link DataException} naming file, line and field; a store in the
 * daily file that {@code store.csv} lacks is one too.
 */
public final class Rossmann {

    public static final List<String> TRAIN_COLUMNS = List.of("Store", "DayOfWeek", "Date", "Sales", "Customers", "Open",
            "Promo", "StateHoliday", "SchoolHoliday");
    public static final List<String> TEST_COLUMNS = List.of("Id", "Store", "DayOfWeek", "Date", "Open", "Promo",
            "StateHoliday", "SchoolHoliday");
    public static final List<String> STORE_COLUMNS = List.of("Store", "StoreType", "Assortment", "CompetitionDistance",
            "CompetitionOpenSinceMonth", "CompetitionOpenSinceYear", "Promo2", "Promo2SinceWeek", "Promo2SinceYear",
            "PromoInterval");
    private static final List<String> STORE_NUMBERS = List.of("CompetitionDistance", "CompetitionOpenSinceMonth",
            "CompetitionOpenSinceYear", "Promo2", "Promo2SinceWeek", "Promo2SinceYear");
    private static final Set<String> HOLIDAYS = Set.of("0", "a", "b", "c");
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();

    private Rossmann() {
    }

    /** train.csv of {@code dir} joined with its store files: every row, open or closed. */
    public static TabularFrame loadTrain(Path dir) {
        return load(dir.resolve("train.csv"), dir, false);
    }

    /** A test.csv (rows with an Id, no Sales) joined with the store files of {@code storeDir}. */
    public static TabularFrame loadTest(Path testCsv, Path storeDir) {
        return load(testCsv, storeDir, true);
    }

    /** Whether {@code dir} holds the competition's files. */
    public static boolean isDataDir(Path dir) {
        return Files.isRegularFile(dir.resolve("train.csv")) && Files.isRegularFile(dir.resolve("store.csv"));
    }

    private static TabularFrame load(Path daily, Path storeDir, boolean test) {
        Map<Integer, StoreRow> stores = readStores(storeDir.resolve("store.csv"));
        Path statesFile = storeDir.resolve("store_states.csv");
        Map<Integer, String> states = Files.isRegularFile(statesFile) ? readStates(statesFile) : Map.of();
        List<String> required = test ? TEST_COLUMNS : TRAIN_COLUMNS;
        List<String> numeric = test ? List.of("Id", "Store", "DayOfWeek", "Open", "Promo", "SchoolHoliday")
                : List.of("Store", "DayOfWeek", "Sales", "Customers", "Open", "Promo", "SchoolHoliday");
        Map<String, DoubleList> nums = new HashMap<>();
        numeric.forEach(c -> nums.put(c, new DoubleList()));
        DoubleList dates = new DoubleList();
        List<String> holidays = new ArrayList<>();
        List<StoreRow> joined = new ArrayList<>();
        Map<String, LocalDate> dateCache = new HashMap<>();
        CsvRows.read(daily, StandardCharsets.UTF_8, CSV, true, required, (r, line) -> {
            if (r.size() != r.getParser().getHeaderNames().size()) {
                throw DataException.at(daily, line, "line", "expected " + r.getParser().getHeaderNames().size()
                        + " fields, found " + r.size());
            }
            for (String c : numeric) {
                // test.csv of the competition has a few empty Open fields: treat as open
                double v = number(daily, line, r, c, test && c.equals("Open"));
                checkRange(daily, line, c, v);
                nums.get(c).add(Double.isNaN(v) && c.equals("Open") ? 1 : v);
            }
            int dow = (int) nums.get("DayOfWeek").last();
            if (dow < 1 || dow > 7) {
                throw DataException.at(daily, line, "DayOfWeek", "expected 1 (Monday) .. 7, got " + dow);
            }
            String ds = r.get("Date").trim();
            LocalDate d = dateCache.computeIfAbsent(ds, s -> {
                try {
                    return LocalDate.parse(s);
                } catch (DateTimeParseException e) {
                    throw DataException.at(daily, line, "Date", "expected yyyy-MM-dd, got '" + s + "'");
                }
            });
            dates.add(d.toEpochDay());
            String h = r.get("StateHoliday").trim();
            if (!HOLIDAYS.contains(h)) {
                throw DataException.at(daily, line, "StateHoliday", "expected 0, a, b or c, got '" + h + "'");
            }
            holidays.add(h.intern());
            int store = (int) nums.get("Store").last();
            StoreRow s = stores.get(store);
            if (s == null) {
                throw DataException.at(daily, line, "Store", "store " + store + " is not in " + storeDir.resolve("store.csv"));
            }
            joined.add(s);
        });
        int n = holidays.size();
        TabularFrame f = new TabularFrame(n);
        for (String c : required) {
            if (c.equals("Date")) {
                f.put(c, dates.toArray());
            } else if (c.equals("StateHoliday")) {
                f.put(c, holidays.toArray(new String[0]));
            } else {
                f.put(c, nums.get(c).toArray());
            }
        }
        String[] type = new String[n], assortment = new String[n], interval = new String[n], state = new String[n];
        double[][] storeNums = new double[STORE_NUMBERS.size()][n];
        for (int i = 0; i < n; i++) {
            StoreRow s = joined.get(i);
            type[i] = s.type;
            assortment[i] = s.assortment;
            interval[i] = s.interval;
            state[i] = states.get(s.id);
            for (int k = 0; k < storeNums.length; k++) {
                storeNums[k][i] = s.numbers[k];
            }
        }
        f.put("StoreType", type).put("Assortment", assortment).put("PromoInterval", interval).put("State", state);
        for (int k = 0; k < storeNums.length; k++) {
            f.put(STORE_NUMBERS.get(k), storeNums[k]);
        }
        return f;
    }

    private record StoreRow(int id, String type, String assortment, String interval, double[] numbers) {
    }

    private static Map<Integer, StoreRow> readStores(Path file) {
        Map<Integer, StoreRow> out = new HashMap<>();
        CsvRows.read(file, StandardCharsets.UTF_8, CSV, true, STORE_COLUMNS, (r, line) -> {
            int id = (int) requiredNumber(file, line, r, "Store");
            checkRange(file, line, "Store", id);
            double[] nums = new double[STORE_NUMBERS.size()];
            for (int k = 0; k < nums.length; k++) {
                nums[k] = number(file, line, r, STORE_NUMBERS.get(k), !STORE_NUMBERS.get(k).equals("Promo2"));
                checkRange(file, line, STORE_NUMBERS.get(k), nums[k]);
            }
            String type = r.get("StoreType").trim();
            if (!Set.of("a", "b", "c", "d").contains(type)) {
                throw DataException.at(file, line, "StoreType", "expected a, b, c or d, got '" + type + "'");
            }
            String interval = r.get("PromoInterval").trim();
            if (out.put(id, new StoreRow(id, type.intern(), r.get("Assortment").trim().intern(),
                    interval.isEmpty() ? null : interval.intern(), nums)) != null) {
                throw DataException.at(file, line, "Store", "store " + id + " appears twice");
            }
        });
        return out;
    }

    private static Map<Integer, String> readStates(Path file) {
        Map<Integer, String> out = new HashMap<>();
        CsvRows.read(file, StandardCharsets.UTF_8, CSV, true, List.of("Store", "State"), (r, line) -> {
            double store = requiredNumber(file, line, r, "Store");
            checkRange(file, line, "Store", store);
            out.put((int) store, r.get("State").trim().intern());
        });
        return out;
    }

    /** Columns that hold whole numbers, with their allowed range (min, max); a missing value (NaN) passes. */
    private static final Map<String, double[]> RANGES = Map.ofEntries(
            Map.entry("Id", new double[]{0, Integer.MAX_VALUE}),
            Map.entry("Store", new double[]{1, Integer.MAX_VALUE}),
            Map.entry("DayOfWeek", new double[]{1, 7}),
            Map.entry("Customers", new double[]{0, Integer.MAX_VALUE}),
            Map.entry("Open", new double[]{0, 1}),
            Map.entry("Promo", new double[]{0, 1}),
            Map.entry("SchoolHoliday", new double[]{0, 1}),
            Map.entry("CompetitionOpenSinceMonth", new double[]{1, 12}),
            Map.entry("CompetitionOpenSinceYear", new double[]{1800, 2200}),
            Map.entry("Promo2", new double[]{0, 1}),
            Map.entry("Promo2SinceWeek", new double[]{1, 53}),
            Map.entry("Promo2SinceYear", new double[]{1800, 2200}));

    /**
     * Whole-number columns must hold whole numbers in their range (store 1.5 is a damaged line, not
     * store 1); Sales and CompetitionDistance must not be negative.
     */
    private static void checkRange(Path file, long line, String field, double v) {
        if (Double.isNaN(v)) {
            return;
        }
        double[] range = RANGES.get(field);
        if (range != null) {
            if (v != Math.rint(v)) {
                throw DataException.at(file, line, field, "expected a whole number, got " + v);
            }
            if (v < range[0] || v > range[1]) {
                throw DataException.at(file, line, field, "expected " + (long) range[0] + ".." + (long) range[1]
                        + ", got " + (long) v);
            }
        } else if ((field.equals("Sales") || field.equals("CompetitionDistance")) && v < 0) {
            throw DataException.at(file, line, field, "negative (" + v + "); sales and distances are 0 or more");
        }
    }

    private static double requiredNumber(Path file, long line, CSVRecord r, String field) {
        return number(file, line, r, field, false);
    }

    private static double number(Path file, long line, CSVRecord r, String field, boolean allowEmpty) {
        String s = r.get(field).trim();
        if (s.isEmpty()) {
            if (allowEmpty) {
                return Double.NaN;
            }
            throw DataException.at(file, line, field, "empty; a number is needed");
        }
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw DataException.at(file, line, field, "not a number: '" + s + "'");
        }
    }

    /** A growable double array (1M rows without boxing). */
    private static final class DoubleList {
        private double[] a = new double[1024];
        private int n;

        void add(double v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        double last() {
            return a[n - 1];
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}

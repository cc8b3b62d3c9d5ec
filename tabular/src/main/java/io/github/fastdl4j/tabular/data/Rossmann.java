package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads shop-sales data in the Rossmann competition's layout, through DataVec ({@link CsvTable}) (see ../shared/data/README.md):
 * {@code train.csv} (or {@code test.csv}) joined with {@code store.csv} and, when present,
 * {@code store_states.csv}. Numbers become numeric columns (NaN where empty), dates epoch days,
 * codes text. Every problem is a {@link BadInputException} naming file, line and field; a store in the
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
    private static final Map<String, String> HOLIDAY_VALUES = Map.of("0", "0", "a", "a", "b", "b", "c", "c");

    private Rossmann() {
    }

    /** The columns of a day's row that predictions need: test.csv's without its Id, train.csv's without Sales and Customers. */
    public static final List<String> ROW_COLUMNS = List.of("Store", "DayOfWeek", "Date", "Open", "Promo", "StateHoliday",
            "SchoolHoliday");

    /** train.csv of {@code dir} joined with its store files: every row, open or closed. */
    public static TabularFrame loadTrain(Path dir) {
        return load(dir.resolve("train.csv"), storeTable(dir), dir.resolve("store.csv").toString(), Layout.TRAIN);
    }

    /** A test.csv (rows with an Id, no Sales) joined with the store files of {@code storeDir}. */
    public static TabularFrame loadTest(Path testCsv, Path storeDir) {
        return load(testCsv, storeTable(storeDir), storeDir.resolve("store.csv").toString(), Layout.TEST);
    }

    /** A test.csv joined with a store table (the one a model recorded at training). */
    public static TabularFrame loadTest(Path testCsv, StoreTable stores) {
        return load(testCsv, stores, "the model's store table", Layout.TEST);
    }

    /**
     * Rows of either file's layout ({@link #ROW_COLUMNS}; an Id, Sales or Customers are ignored)
     * joined with a store table: what a server predicts from.
     */
    public static TabularFrame loadRows(Path csv, StoreTable stores) {
        return load(csv, stores, "the model's store table", Layout.ROWS);
    }

    /** store.csv (and store_states.csv when present) of {@code dir}, checked. */
    public static StoreTable storeTable(Path dir) {
        Map<Integer, StoreRow> stores = readStores(dir.resolve("store.csv"));
        Path statesFile = dir.resolve("store_states.csv");
        Map<Integer, String> states = Files.isRegularFile(statesFile) ? readStates(statesFile) : Map.of();
        List<StoreTable.Store> out = new ArrayList<>();
        stores.values().stream().sorted(Comparator.comparingInt(StoreRow::id)).forEach(r -> out.add(
                new StoreTable.Store(r.id, r.type, r.assortment, r.interval, Arrays.stream(r.numbers).boxed()
                        .map(v -> v.isNaN() ? null : v).toList(), states.get(r.id))));
        return new StoreTable(out);
    }

    private enum Layout { TRAIN, TEST, ROWS }

    /** Whether {@code dir} holds the competition's files. */
    public static boolean isDataDir(Path dir) {
        return Files.isRegularFile(dir.resolve("train.csv")) && Files.isRegularFile(dir.resolve("store.csv"));
    }

    private static TabularFrame load(Path daily, StoreTable table, String storeSource, Layout layout) {
        Map<Integer, StoreRow> stores = new HashMap<>();
        Map<Integer, String> states = new HashMap<>();
        for (StoreTable.Store st : table.stores()) {
            double[] nums = st.numbers().stream().mapToDouble(v -> v == null ? Double.NaN : v).toArray();
            stores.put(st.store(), new StoreRow(st.store(), st.type().intern(), st.assortment().intern(),
                    st.interval() == null ? null : st.interval().intern(), nums));
            if (st.state() != null) {
                states.put(st.store(), st.state().intern());
            }
        }
        boolean test = layout != Layout.TRAIN; // test.csv's and a server's rows: an empty Open is an open day
        List<String> required = switch (layout) {
            case TRAIN -> TRAIN_COLUMNS;
            case TEST -> TEST_COLUMNS;
            case ROWS -> ROW_COLUMNS;
        };
        List<String> numeric = switch (layout) {
            case TRAIN -> List.of("Store", "DayOfWeek", "Sales", "Customers", "Open", "Promo", "SchoolHoliday");
            case TEST -> List.of("Id", "Store", "DayOfWeek", "Open", "Promo", "SchoolHoliday");
            case ROWS -> List.of("Store", "DayOfWeek", "Open", "Promo", "SchoolHoliday");
        };
        CsvTable t = table(daily, required, Map.of("Date", CsvTable.Type.TEXT, "StateHoliday", CsvTable.Type.TEXT));
        int n = t.rows();
        TabularFrame f = new TabularFrame(n);
        for (String c : numeric) {
            double[] v = t.numbers(c);
            double[] range = RANGES.get(c); // once a column, not a million lookups
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(v[i])) {
                    // test.csv of the competition has a few empty Open fields: treat as open
                    if (test && c.equals("Open")) {
                        v[i] = 1;
                        continue;
                    }
                    throw BadInputException.at(daily, t.line(i), c, "empty; a number is needed");
                }
                if (!inRange(range, c, v[i])) {
                    checkRange(daily, t.line(i), c, v[i]); // says what is wrong
                }
            }
            f.put(c, v);
        }
        String[] dateText = t.texts("Date");
        double[] dates = new double[n];
        Map<String, Long> dateCache = new HashMap<>();
        String[] holidays = t.texts("StateHoliday");
        for (int i = 0; i < n; i++) {
            String ds = dateText[i] == null ? "" : dateText[i];
            long line = t.line(i);
            dates[i] = dateCache.computeIfAbsent(ds, x -> {
                try {
                    return LocalDate.parse(x).toEpochDay();
                } catch (DateTimeParseException e) {
                    throw BadInputException.at(daily, line, "Date", "expected yyyy-MM-dd, got '" + x + "'");
                }
            });
            String h = holidays[i] == null ? "" : holidays[i];
            if (!HOLIDAYS.contains(h)) {
                throw BadInputException.at(daily, line, "StateHoliday", "expected 0, a, b or c, got '" + h + "'");
            }
            holidays[i] = HOLIDAY_VALUES.get(h); // one String per value (intern() a million times costs)
        }
        f.put("Date", dates).put("StateHoliday", holidays);
        double[] storeIds = f.numbers("Store");
        String[] type = new String[n], assortment = new String[n], interval = new String[n], state = new String[n];
        double[][] storeNums = new double[STORE_NUMBERS.size()][n];
        for (int i = 0; i < n; i++) {
            StoreRow s = stores.get((int) storeIds[i]);
            if (s == null) {
                throw BadInputException.at(daily, t.line(i), "Store", "store " + (int) storeIds[i] + " is not in "
                        + storeSource);
            }
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

    /**
     * A Rossmann-layout CSV through DataVec ({@link CsvTable}), checked to have the {@code required}
     * columns; {@code text} columns are read as text whatever they hold.
     */
    static CsvTable table(Path file, List<String> required, Map<String, CsvTable.Type> text) {
        CsvTable t = CsvTable.read(file, CsvTable.Format.csv().separator(",").types(text));
        for (String col : required) {
            if (!t.has(col)) {
                throw BadInputException.at(file, 1, col, "missing column; the header must name " + required + ", found " + t.names());
            }
        }
        // counts, ids, flags and distances: an infinity (read as missing by CsvTable) is a damaged line here
        for (String col : t.names()) {
            if (t.type(col) != CsvTable.Type.TEXT && !t.nonFinite(col).isEmpty()) {
                CsvTable.Cell bad = t.nonFinite(col).get(0);
                throw BadInputException.at(file, bad.line(), col, "'" + bad.value() + "' is not a finite number");
            }
        }
        return t;
    }

    private record StoreRow(int id, String type, String assortment, String interval, double[] numbers) {
    }

    private static Map<Integer, StoreRow> readStores(Path file) {
        Map<Integer, StoreRow> out = new HashMap<>();
        CsvTable t = table(file, STORE_COLUMNS, Map.of("StoreType", CsvTable.Type.TEXT, "Assortment", CsvTable.Type.TEXT,
                "PromoInterval", CsvTable.Type.TEXT));
        double[] ids = t.numbers("Store");
        double[][] nums = new double[STORE_NUMBERS.size()][];
        for (int k = 0; k < nums.length; k++) {
            nums[k] = t.numbers(STORE_NUMBERS.get(k));
        }
        String[] types = t.texts("StoreType");
        String[] assortments = t.texts("Assortment");
        String[] intervals = t.texts("PromoInterval");
        for (int i = 0; i < t.rows(); i++) {
            long line = t.line(i);
            if (Double.isNaN(ids[i])) {
                throw BadInputException.at(file, line, "Store", "empty; a number is needed");
            }
            checkRange(file, line, "Store", ids[i]);
            double[] row = new double[nums.length];
            for (int k = 0; k < nums.length; k++) {
                row[k] = nums[k][i];
                if (STORE_NUMBERS.get(k).equals("Promo2") && Double.isNaN(row[k])) {
                    throw BadInputException.at(file, line, "Promo2", "empty; 0 or 1 is needed");
                }
                checkRange(file, line, STORE_NUMBERS.get(k), row[k]);
            }
            String type = types[i] == null ? "" : types[i];
            if (!Set.of("a", "b", "c", "d").contains(type)) {
                throw BadInputException.at(file, line, "StoreType", "expected a, b, c or d, got '" + type + "'");
            }
            int id = (int) ids[i];
            String assortment = assortments[i] == null ? "" : assortments[i];
            if (out.put(id, new StoreRow(id, type.intern(), assortment.intern(),
                    intervals[i] == null ? null : intervals[i].intern(), row)) != null) {
                throw BadInputException.at(file, line, "Store", "store " + id + " appears twice");
            }
        }
        return out;
    }

    private static Map<Integer, String> readStates(Path file) {
        Map<Integer, String> out = new HashMap<>();
        CsvTable t = table(file, List.of("Store", "State"), Map.of("State", CsvTable.Type.TEXT));
        double[] ids = t.numbers("Store");
        String[] st = t.texts("State");
        for (int i = 0; i < t.rows(); i++) {
            if (Double.isNaN(ids[i])) {
                throw BadInputException.at(file, t.line(i), "Store", "empty; a number is needed");
            }
            checkRange(file, t.line(i), "Store", ids[i]);
            out.put((int) ids[i], st[i] == null ? null : st[i].intern());
        }
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

    /** Whether {@link #checkRange} passes {@code v}, given the column's range (null: none). */
    private static boolean inRange(double[] range, String field, double v) {
        if (range != null) {
            return v == Math.rint(v) && v >= range[0] && v <= range[1];
        }
        return !((field.equals("Sales") || field.equals("CompetitionDistance")) && v < 0);
    }

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
                throw BadInputException.at(file, line, field, "expected a whole number, got " + v);
            }
            if (v < range[0] || v > range[1]) {
                throw BadInputException.at(file, line, field, "expected " + (long) range[0] + ".." + (long) range[1]
                        + ", got " + (long) v);
            }
        } else if ((field.equals("Sales") || field.equals("CompetitionDistance")) && v < 0) {
            throw BadInputException.at(file, line, field, "negative (" + v + "); sales and distances are 0 or more");
        }
    }
}

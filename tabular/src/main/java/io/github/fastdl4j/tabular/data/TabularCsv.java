package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Any CSV table as a {@link TabularFrame}, read by {@link CsvTable} (from the file's bytes, DataVec's
 * reader for lines that need it; DataVec's schema): numeric columns
 * become numbers, the others text, the date columns days since 1970-01-01 ({@link Dates}). The
 * checks a user's table needs before training name the file, the line and the column.
 */
public final class TabularCsv {

    private TabularCsv() {
    }

    /**
     * A table read from a file: the typed columns as read (with their line numbers) and the frame
     * the learner takes.
     */
    public record Table(CsvTable csv, TabularFrame frame) {
        public Path file() {
            return csv.file();
        }

        /** Refuses columns the file does not have: one line naming the first missing one and the file's columns. */
        public void require(Collection<String> columns, String what) {
            for (String c : columns) {
                if (!csv.has(c)) {
                    throw BadInputException.at(csv.file(), 1, c, "no such column (" + what + "); the file has "
                            + BadInputException.listed(csv.names(), 20));
                }
            }
        }

        /** Refuses a column that is not numbers, naming the first line that is not. */
        public void requireNumbers(String column, String what) {
            if (csv.type(column) == CsvTable.Type.TEXT) {
                csv.numbers(column); // throws, naming the line and the value
                throw BadInputException.at(csv.file(), 1, column, what + " needs numbers");
            }
        }

        /** Refuses a validation-flag column with a value that is not a flag, naming its line. */
        public void requireFlags(String column) {
            String[] v = csv.texts(column);
            for (int i = 0; i < v.length; i++) {
                if (v[i] != null && !FLAGS.contains(v[i].toLowerCase(Locale.ROOT))) {
                    throw BadInputException.at(csv.file(), csv.line(i), column, "expected a validation flag (1/0, true/false, "
                            + "yes/no, valid/train), got '" + v[i] + "'");
                }
            }
        }

        /**
         * The missing values of {@code columns} as one line ({@code age 3, y 1 (1 not a finite number: 'Infinity'
         * at line 6)}, at most 20 columns), or null when none is missing.
         */
        public String missingReport(Collection<String> columns) {
            List<String> parts = new ArrayList<>();
            for (String c : columns) {
                if (!csv.has(c)) {
                    continue; // a date part: its date column is reported
                }
                int m = csv.missing(c);
                if (m == 0) {
                    continue;
                }
                List<CsvTable.Cell> bad = csv.nonFinite(c);
                parts.add(String.format(Locale.ROOT, "%s %,d", c, m) + (bad.isEmpty() ? ""
                        : String.format(Locale.ROOT, " (%,d not a finite number: '%s' at line %d%s)", bad.size(),
                        bad.get(0).value(), bad.get(0).line(), bad.size() > 1 ? ", ..." : "")));
            }
            return parts.isEmpty() ? null : BadInputException.listed(parts, 20);
        }

        /** How many distinct values a column has (missing not counted). */
        public int distinct(String column) {
            String[] v = csv.texts(column);
            Set<String> s = new HashSet<>();
            for (String x : v) {
                if (x != null) {
                    s.add(x);
                }
            }
            return s.size();
        }
    }

    private static final Set<String> FLAGS = Set.of("1", "true", "yes", "y", "t", "valid", "0", "false", "no", "n", "f", "train");

    /**
     * Reads {@code file}: the date columns are read as text and turned into days since 1970-01-01
     * (a value that is not a date is an error naming its line); the others keep their inferred type.
     */
    public static Table read(Path file, CsvTable.Format format, List<String> dateColumns, Dates dates) {
        return table(CsvTable.read(file, withDates(format, dateColumns)), dateColumns, dates);
    }

    /**
     * Reads CSV text held in memory (a request's body) as {@link #read(Path, CsvTable.Format, List, Dates)}
     * reads a file, naming {@code name} in messages: the same types, the same frame, no temporary file.
     */
    public static Table read(Path name, String text, CsvTable.Format format, List<String> dateColumns, Dates dates) {
        return table(CsvTable.read(name, text, withDates(format, dateColumns)), dateColumns, dates);
    }

    private static CsvTable.Format withDates(CsvTable.Format format, List<String> dateColumns) {
        Map<String, CsvTable.Type> types = new HashMap<>(format.types());
        dateColumns.forEach(d -> types.put(d, CsvTable.Type.TEXT));
        return format.types(types);
    }

    private static Table table(CsvTable t, List<String> dateColumns, Dates dates) {
        Path file = t.file();
        TabularFrame f = new TabularFrame(t.rows());
        for (String c : dateColumns) {
            if (!t.has(c)) {
                throw BadInputException.at(file, 1, c, "no such column (a date column); the file has " + BadInputException.listed(t.names(), 20));
            }
        }
        for (String c : t.names()) {
            if (dateColumns.contains(c)) {
                String[] v = t.texts(c);
                double[] days = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    try {
                        days[i] = v[i] == null ? Double.NaN : dates.epochDay(v[i]);
                    } catch (IllegalArgumentException e) {
                        throw BadInputException.at(file, t.line(i), c, e.getMessage());
                    }
                }
                f.put(c, days);
            } else if (t.type(c) == CsvTable.Type.TEXT) {
                f.put(c, t.texts(c));
            } else {
                f.put(c, t.numbers(c));
            }
        }
        return new Table(t, f);
    }

    /**
     * Which columns are categorical and which continuous, fastai's {@code cont_cat_split(df,
     * max_card)}: whole-number columns with more than {@code maxCard} distinct values and decimal
     * columns are continuous, the rest categorical. Text columns where nearly every row has its own
     * value (over half the rows and over 100 values: names, ids, free text) are left out, since an
     * embedding cannot learn from values seen once; they are listed so the user can name them.
     *
     * @param exclude the target, the validation column, ... (date columns give their parts instead)
     */
    public static ColumnKinds contCatSplit(Table t, int maxCard, Collection<String> exclude) {
        List<String> cats = new ArrayList<>(), conts = new ArrayList<>(), skipped = new ArrayList<>();
        for (String c : t.csv().names()) {
            if (exclude.contains(c)) {
                continue;
            }
            CsvTable.Type type = t.csv().type(c);
            int distinct = t.distinct(c);
            if (type == CsvTable.Type.DOUBLE || type == CsvTable.Type.INTEGER && distinct > maxCard) {
                conts.add(c);
            } else if (type == CsvTable.Type.TEXT && distinct > 100 && distinct > t.csv().rows() / 2) {
                skipped.add(c);
            } else {
                cats.add(c);
            }
        }
        return new ColumnKinds(cats, conts, skipped);
    }

    /** Categorical and continuous columns, and the ones left out (with why in {@link #contCatSplit}). */
    public record ColumnKinds(List<String> cats, List<String> conts, List<String> skipped) {
        public Map<String, List<String>> asMap() {
            Map<String, List<String>> m = new LinkedHashMap<>();
            m.put("cat", cats);
            m.put("cont", conts);
            m.put("skipped", skipped);
            return m;
        }
    }
}

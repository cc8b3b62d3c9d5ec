package io.github.fastdl4j.common.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A column being read: numbers while every value is one, text as soon as one is not. */
final class CsvColumn {
    final String name;
    final CsvTable.Type declared;
    CsvTable.Type type = CsvTable.Type.INTEGER;
    double[] numbers = new double[1024];
    String[] texts;
    int n;
    // numbers too large for a double or written as infinities: missing in a column of numbers,
    // kept (row -> as written) so a column that turns out to be text gets them back and a
    // caller can name them (prediction refuses them)
    final Map<Integer, String> nonFinite = new LinkedHashMap<>();
    // one String per distinct value (a million "a"s are one), until a column looks like free text
    private java.util.HashMap<String, String> distinct = new java.util.HashMap<>();

    String intern(String v) {
        if (distinct == null) {
            return v;
        }
        String seen = distinct.putIfAbsent(v, v);
        if (distinct.size() > 100_000) {
            distinct = null; // ids, names, comments: interning would only cost
        }
        return seen != null ? seen : v;
    }

    CsvColumn(String name, CsvTable.Type declared) {
        this.name = name;
        this.declared = declared;
        if (declared == CsvTable.Type.TEXT) {
            becomeText();
        }
    }

    void add(String raw, Path file, long line) {
        String v = raw.strip();
        // the missing markers are short: most values are not lower-cased at all
        boolean missing = v.length() <= 4 && CsvTable.MISSING.contains(v.toLowerCase(Locale.ROOT));
        if (texts != null) {
            ensure();
            texts[n++] = missing ? null : intern(v);
            return;
        }
        double d = Double.NaN;
        if (!missing) {
            long whole = CsvNumbers.wholeNumber(v);
            if (whole != CsvNumbers.NOT_WHOLE) {
                d = whole;
            } else {
                d = CsvNumbers.decimal(v);
                if (Double.isNaN(d) && CsvNumbers.isNonFinite(v)) {
                    // missing as an empty cell is: the column keeps its type (and so its kind in cont_cat_split)
                    nonFinite.put(n, intern(v));
                    ensure();
                    numbers[n++] = Double.NaN;
                    return;
                }
                if (Double.isNaN(d)) {
                    if (declared == CsvTable.Type.INTEGER || declared == CsvTable.Type.DOUBLE) {
                        throw DataException.at(file, line, name, "expected a number, got '" + v + "'");
                    }
                    becomeText();
                    ensure();
                    texts[n++] = intern(v);
                    return;
                }
                if (declared == CsvTable.Type.INTEGER) {
                    throw DataException.at(file, line, name, "expected a whole number, got '" + v + "'");
                }
                if (type == CsvTable.Type.INTEGER) {
                    type = CsvTable.Type.DOUBLE;
                }
            }
        }
        ensure();
        numbers[n++] = d;
    }

    void becomeText() {
        if (texts != null) {
            return;
        }
        texts = new String[Math.max(1024, n)];
        for (int i = 0; i < n; i++) {
            texts[i] = Double.isNaN(numbers[i]) ? nonFinite.get(i) : intern(CsvNumbers.keyOf(numbers[i]));
        }
        nonFinite.clear(); // text now: they are values as written
        numbers = null;
        type = CsvTable.Type.TEXT;
    }

    void ensure() {
        if (texts != null && n == texts.length) {
            texts = Arrays.copyOf(texts, n * 2);
        } else if (numbers != null && n == numbers.length) {
            numbers = Arrays.copyOf(numbers, n * 2);
        }
    }

    boolean allMissing() {
        for (int i = 0; i < n; i++) {
            if (texts != null ? texts[i] != null : !Double.isNaN(numbers[i]) || nonFinite.containsKey(i)) {
                return false;
            }
        }
        return true;
    }

    CsvTable.Type finalType() {
        return declared == CsvTable.Type.DOUBLE && type == CsvTable.Type.INTEGER ? CsvTable.Type.DOUBLE : type;
    }
}

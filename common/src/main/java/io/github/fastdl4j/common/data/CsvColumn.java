package io.github.fastdl4j.common.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
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
    private HashMap<String, String> distinct = new HashMap<>();

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
                        throw BadInputException.at(file, line, name, "expected a number, got '" + v + "'");
                    }
                    becomeText();
                    ensure();
                    texts[n++] = intern(v);
                    return;
                }
                if (declared == CsvTable.Type.INTEGER) {
                    throw BadInputException.at(file, line, name, "expected a whole number, got '" + v + "'");
                }
                if (type == CsvTable.Type.INTEGER) {
                    type = CsvTable.Type.DOUBLE;
                }
            }
        }
        ensure();
        numbers[n++] = d;
    }

    /**
     * {@link #add} of the bytes {@code b[from..to)} of a file in {@code cs} (one of
     * {@link CsvBytes#readable}), to the same value: missing markers, whole numbers, short decimals
     * and text seen before are read from the bytes; anything else (a new text value, a long or
     * exponent decimal, an infinity, bytes outside ASCII) becomes a String and goes through add.
     */
    void addBytes(byte[] b, int from, int to, Charset cs, Path file, long line) {
        while (from < to && b[from] >= 0 && Character.isWhitespace(b[from])) {
            from++;
        }
        while (to > from && b[to - 1] >= 0 && Character.isWhitespace(b[to - 1])) {
            to--;
        }
        int len = to - from;
        for (int k = from; k < to; k++) {
            if (b[k] < 0) {
                add(new String(b, from, len, cs), file, line); // strips what else is whitespace
                return;
            }
        }
        if (len <= 4 && missing(b, from, len)) {
            ensure();
            if (texts != null) {
                texts[n++] = null;
            } else {
                numbers[n++] = Double.NaN;
            }
            return;
        }
        if (texts != null) {
            String seen = seen(b, from, len);
            if (seen != null) {
                ensure();
                texts[n++] = seen;
                return;
            }
            add(new String(b, from, len, StandardCharsets.ISO_8859_1), file, line);
            remember(b, from, len, texts[n - 1]);
            return;
        }
        double d = number(b, from, to);
        if (Double.isNaN(d) || declared == CsvTable.Type.INTEGER && !whole) {
            add(new String(b, from, len, StandardCharsets.ISO_8859_1), file, line);
            if (texts != null) {
                remember(b, from, len, texts[n - 1]);
            }
            return;
        }
        if (!whole && type == CsvTable.Type.INTEGER) {
            type = CsvTable.Type.DOUBLE;
        }
        ensure();
        numbers[n++] = d;
    }

    private static final byte[][] MISSING_BYTES = CsvTable.MISSING.stream()
            .map(m -> m.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    /** Whether ASCII bytes are one of {@link CsvTable#MISSING}, ignoring case. */
    private static boolean missing(byte[] b, int from, int len) {
        outer:
        for (byte[] m : MISSING_BYTES) {
            if (m.length != len) {
                continue;
            }
            for (int k = 0; k < len; k++) {
                byte c = b[from + k];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != m[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private boolean whole;

    /**
     * The number the bytes write, as {@link CsvNumbers#wholeNumber} or {@link Double#parseDouble}
     * reads it, or NaN when that needs a String: a whole number of at most 18 digits (sets
     * {@link #whole}), or a plain decimal of at most 15 digits in all and 22 after the point, one
     * exact integer divided by an exact power of ten, which is correctly rounded as parseDouble is.
     */
    private double number(byte[] b, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long x = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < to; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                x = x * 10 + (c - '0');
                digits++;
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (fraction < 0) {
            if (digits > 18) {
                return Double.NaN;
            }
            whole = true;
            return negative ? -x : x;
        }
        whole = false;
        if (digits > 15 || fraction > 22) {
            return Double.NaN;
        }
        double d = x / POW10[fraction];
        return negative ? -d : d;
    }

    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int k = 1; k < POW10.length; k++) {
            POW10[k] = POW10[k - 1] * 10;
        }
    }

    // the text values seen, found by their ASCII bytes (hash as String.hashCode): open addressing
    private String[] seenValues = new String[256];
    private int[] seenHashes = new int[256];
    private int seenCount;

    private String seen(byte[] b, int from, int len) {
        if (distinct == null) {
            seenValues = null; // free text: nothing is interned any more
            return null;
        }
        int h = 0;
        for (int k = 0; k < len; k++) {
            h = 31 * h + b[from + k];
        }
        int mask = seenValues.length - 1;
        for (int slot = spread(h) & mask; seenValues[slot] != null; slot = (slot + 1) & mask) {
            String v = seenValues[slot];
            if (seenHashes[slot] == h && v.length() == len && sameAscii(v, b, from, len)) {
                return v;
            }
        }
        return null;
    }

    private void remember(byte[] b, int from, int len, String v) {
        if (distinct == null || seenValues == null || v == null || v.length() != len) {
            return;
        }
        if (2 * (seenCount + 1) > seenValues.length) {
            String[] old = seenValues;
            seenValues = new String[old.length * 2];
            seenHashes = new int[old.length * 2];
            seenCount = 0;
            for (String o : old) {
                if (o != null) {
                    put(o);
                }
            }
        }
        put(v);
    }

    private void put(String v) {
        int h = v.hashCode();
        int mask = seenValues.length - 1;
        int slot = spread(h) & mask;
        while (seenValues[slot] != null) {
            if (seenValues[slot].equals(v)) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        seenValues[slot] = v;
        seenHashes[slot] = h;
        seenCount++;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private static boolean sameAscii(String v, byte[] b, int from, int len) {
        for (int k = 0; k < len; k++) {
            if (v.charAt(k) != b[from + k]) {
                return false;
            }
        }
        return true;
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

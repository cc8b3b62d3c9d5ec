package io.github.fastdl4j.common.data;

import java.util.Locale;
import java.util.Set;

/**
 * How {@link CsvTable} reads numbers: plain whole numbers without an exception for everything
 * else, decimals as data files write them (not Java's own syntax such as {@code 4f} or
 * {@code 0x1p2}), infinities and out-of-range decimals recognised as numbers a double cannot hold,
 * and numbers written back as category keys. One place, so that the table, its columns and its
 * callers agree on what a number is.
 */
final class CsvNumbers {

    private CsvNumbers() {
    }

    static final long NOT_WHOLE = Long.MIN_VALUE;

    /** A plain whole number ({@code -?[0-9]{1,18}}) without the cost of an exception for everything else. */
    static long wholeNumber(String v) {
        int n = v.length();
        int i = n > 0 && (v.charAt(0) == '-' || v.charAt(0) == '+') ? 1 : 0;
        if (i == n || n - i > 18) {
            return NOT_WHOLE;
        }
        long x = 0;
        for (int k = i; k < n; k++) {
            char c = v.charAt(k);
            if (c < '0' || c > '9') {
                return NOT_WHOLE;
            }
            x = x * 10 + (c - '0');
        }
        return v.charAt(0) == '-' ? -x : x;
    }

    /** A finite decimal number, or NaN for anything else (text is recognised without throwing where it can be). */
    static double decimal(String v) {
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return Double.NaN;
            }
        }
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static final Set<String> INFINITIES = Set.of("inf", "infinity", "+inf", "+infinity", "-inf", "-infinity");

    /**
     * Whether a value is a number that a double cannot hold: an infinity as programs write it
     * ({@code Infinity}, {@code -inf}, any case) or a decimal beyond the double range ({@code 1e999}).
     * In a column of numbers it is a missing value (counted, see {@link CsvTable#nonFinite}), never text.
     */
    static boolean isNonFinite(String v) {
        if (v.length() <= 9 && INFINITIES.contains(v.toLowerCase(Locale.ROOT))) {
            return true;
        }
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        try {
            return Double.isInfinite(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A number as data files write them ({@code 4}, {@code -0.5}, {@code 1e-3}), or NaN for anything
     * else: Java's own syntax ({@code 4f}, {@code 3d}, {@code 0x1p2}, {@code Infinity}) is not a number here.
     */
    static double parseNumber(String v) {
        if (v == null) {
            return Double.NaN;
        }
        String t = v.strip();
        long whole = wholeNumber(t);
        return whole != NOT_WHOLE ? whole : decimal(t);
    }

    static boolean isNotNumber(String v) {
        try {
            Double.parseDouble(v);
            return false;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** A number as a category key: whole values without a fraction ("2015", not "2015.0"); null for NaN. */
    static String keyOf(double v) {
        if (Double.isNaN(v)) {
            return null;
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}

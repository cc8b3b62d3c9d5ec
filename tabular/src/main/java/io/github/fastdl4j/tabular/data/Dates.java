package io.github.fastdl4j.tabular.data;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates of a table as days since 1970-01-01 (what {@link DatePart} and splitting by time read).
 * Without a pattern the unambiguous forms are read: year first ({@code 2015-07-31},
 * {@code 2015/07/31}, {@code 2015.07.31}), optionally followed by a time ({@code T12:00},
 * {@code  12:00:00}), which is ignored. Day-first and month-first dates ({@code 31/07/2015},
 * {@code 07/31/2015}) cannot be told apart, so they need a pattern ({@code dd/MM/yyyy}).
 */
public final class Dates {

    private static final Pattern YEAR_FIRST = Pattern.compile("(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})(?:[T ].*)?");

    private final DateTimeFormatter pattern;
    private final String patternText;

    private Dates(String patternText) {
        this.patternText = patternText;
        this.pattern = patternText == null ? null
                : DateTimeFormatter.ofPattern(patternText.replace('y', 'u')).withResolverStyle(ResolverStyle.STRICT);
    }

    /**
     * Dates written in {@code pattern} ({@link DateTimeFormatter}'s letters, e.g. {@code dd/MM/yyyy});
     * null for the year-first forms.
     *
     * @throws IllegalArgumentException for a pattern that is not one
     */
    public static Dates of(String pattern) {
        if (pattern != null && pattern.isBlank()) {
            throw new IllegalArgumentException("an empty date pattern");
        }
        return new Dates(pattern);
    }

    /** The days since 1970-01-01 of one value, or throws {@link IllegalArgumentException} saying what was expected. */
    public long epochDay(String value) {
        String v = value.strip();
        if (pattern != null) {
            try {
                return LocalDate.parse(v, pattern).toEpochDay();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected a date like " + patternText + ", got '" + value + "'");
            }
        }
        Matcher m = YEAR_FIRST.matcher(v);
        if (m.matches()) {
            try {
                return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)))
                        .toEpochDay();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("no such date: '" + value + "'");
            }
        }
        throw new IllegalArgumentException("expected a date yyyy-MM-dd (or give its pattern, e.g. --date-format dd/MM/yyyy), got '"
                + value + "'");
    }
}

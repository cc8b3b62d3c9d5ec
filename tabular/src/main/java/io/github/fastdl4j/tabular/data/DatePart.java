package io.github.fastdl4j.tabular.data;

import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.List;

/**
 * fastai's {@code add_datepart}: from a date column (epoch days) adds Year, Month, Week (ISO),
 * Day, Dayofweek (0 = Monday, as pandas), Dayofyear, the six Is_month/quarter/year_start/end
 * flags (0/1) and Elapsed (days since 1970-01-01; fastai uses seconds). Missing dates give NaN.
 */
public final class DatePart {

    public static final List<String> PARTS = List.of("Year", "Month", "Week", "Day", "Dayofweek", "Dayofyear",
            "Is_month_end", "Is_month_start", "Is_quarter_end", "Is_quarter_start", "Is_year_end", "Is_year_start",
            "Elapsed");

    private DatePart() {
    }

    /** Adds the parts of {@code column}, named with {@link #prefix}. */
    public static void add(TabularFrame f, String column) {
        add(f, column, prefix(column));
    }

    /** The prefix of a column's parts, fastai's rule: the name without a trailing "date" (Date: none, saledate: sale). */
    public static String prefix(String column) {
        return column.replaceFirst("[Dd]ate$", "");
    }

    /**
     * Whether a part is best continuous: the many-valued ones (Week, Day, Dayofyear, Elapsed), as
     * fastai's {@code cont_cat_split} with its default {@code max_card} of 20 sorts them; the others
     * (Year, Month, Dayofweek and the flags) are categorical.
     */
    public static boolean isContinuous(String partColumn) {
        return partColumn.endsWith("Week") || partColumn.endsWith("Day") || partColumn.endsWith("Dayofyear")
                || partColumn.endsWith("Elapsed");
    }

    /** The names of the columns {@link #add(TabularFrame, String)} adds for {@code column}. */
    public static List<String> names(String column) {
        return PARTS.stream().map(p -> prefix(column) + p).toList();
    }

    public static void add(TabularFrame f, String column, String prefix) {
        double[] days = f.numbers(column);
        int n = days.length;
        double[][] out = new double[PARTS.size()][n];
        long lastDay = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(days[i])) {
                for (double[] o : out) {
                    o[i] = Double.NaN;
                }
                continue;
            }
            long day = (long) days[i];
            if (day == lastDay && i > 0 && !Double.isNaN(days[i - 1])) {
                // rows come day by day (a thousand stores a day): the previous row's parts
                for (int k = 0; k < 12; k++) {
                    out[k][i] = out[k][i - 1];
                }
                out[12][i] = days[i];
                continue;
            }
            lastDay = day;
            LocalDate d = LocalDate.ofEpochDay(day);
            LocalDate next = d.plusDays(1);
            int m = d.getMonthValue();
            out[0][i] = d.getYear();
            out[1][i] = m;
            out[2][i] = d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            out[3][i] = d.getDayOfMonth();
            out[4][i] = d.getDayOfWeek().getValue() - 1;
            out[5][i] = d.getDayOfYear();
            out[6][i] = next.getDayOfMonth() == 1 ? 1 : 0;
            out[7][i] = d.getDayOfMonth() == 1 ? 1 : 0;
            out[8][i] = next.getDayOfMonth() == 1 && m % 3 == 0 ? 1 : 0;
            out[9][i] = d.getDayOfMonth() == 1 && m % 3 == 1 ? 1 : 0;
            out[10][i] = m == 12 && d.getDayOfMonth() == 31 ? 1 : 0;
            out[11][i] = d.getDayOfYear() == 1 ? 1 : 0;
            out[12][i] = days[i];
        }
        for (int k = 0; k < PARTS.size(); k++) {
            f.put(prefix + PARTS.get(k), out[k]);
        }
    }
}

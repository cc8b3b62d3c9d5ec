package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * How a table's validation rows are chosen, fastai's splitters over the rows of a {@link
 * TabularFrame}: the last days of a date column (the lesson's six weeks), a column of flags
 * ({@code ColSplitter}) or a seeded random share ({@code RandomSplitter}). Each returns indices
 * into the frame. Here, with the data, because a split is a property of the rows, not of the
 * learner (interpret scores on the lesson's split without a learner).
 */
public final class TabularSplits {

    private TabularSplits() {
    }

    /** Every row's split: valid = the last {@code days} days of the date column (epoch days). */
    public static Split byDate(TabularFrame f, String dateColumn, int days) {
        return byDate(f, dateColumn, days, IntStream.range(0, f.rows()).toArray());
    }

    /** Split of {@code rows} by time, {@link Splits#byTime}: valid = within the last {@code days} days of the date column. */
    public static Split byDate(TabularFrame f, String dateColumn, int days, int[] rows) {
        double[] d = f.numbers(dateColumn);
        long[] times = new long[rows.length];
        long max = Long.MIN_VALUE;
        for (int i = 0; i < rows.length; i++) {
            double v = d[rows[i]];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("the date column " + dateColumn + " has missing dates: it cannot split by time");
            }
            times[i] = (long) v;
            max = Math.max(max, times[i]);
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
        Split s;
        try {
            s = Splits.byTime(times, max - days + 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the last " + days + " days of " + dateColumn + " leave no training or no "
                    + "validation rows");
        }
        return new Split(pick(rows, s.train()), pick(rows, s.valid()));
    }

    /** Split of {@code rows} by a column of flags, fastai's {@code ColSplitter}: true values are validation. */
    public static Split byColumn(TabularFrame f, String column, int[] rows) {
        TabularFrame.Column c = f.column(column);
        List<Integer> tr = new ArrayList<>(), va = new ArrayList<>();
        for (int r : rows) {
            (isTrue(c.key(r), column) ? va : tr).add(r);
        }
        return new Split(tr.stream().mapToInt(Integer::intValue).toArray(), va.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Split of {@code rows} at random, fastai's {@code RandomSplitter}: a seeded {@code validPct} of them validate. */
    public static Split random(int[] rows, double validPct, long seed) {
        Split idx = Splits.random(rows.length, validPct, seed);
        return new Split(pick(rows, idx.train()), pick(rows, idx.valid()));
    }

    /** A validation flag: 1/true/yes/y/t/valid are true, 0/false/no/n/f/train and missing are false. */
    static boolean isTrue(String v, String column) {
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "y", "t", "valid" -> true;
            case "0", "false", "no", "n", "f", "train" -> false;
            default -> throw new IllegalArgumentException("the validation column " + column + " holds '" + v
                    + "': expected 1/0, true/false, yes/no or valid/train");
        };
    }

    private static int[] pick(int[] rows, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = rows[idx[i]];
        }
        return out;
    }
}

package io.github.fastdl4j.tabular.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * The Rossmann lesson's time-to-event features, per group (store) along a date column:
 * {@code After<Name>} days since the last event day (0 on the day itself), {@code Before<Name>}
 * days until the next one (NaN when the group's rows hold none; FillMissing fills them), and
 * {@code <Name>_bw} / {@code <Name>_fw}, how many event days fall in the 7 days ending / starting
 * with the row's day (fastai's rolling 7-day sums, counted by date so gaps in the rows are fine).
 */
public final class Elapsed {

    private Elapsed() {
    }

    /** Adds the four columns for the event {@code isEvent(row)} named {@code name}. */
    public static void add(TabularFrame f, String group, String date, String name, IntPredicate isEvent) {
        add(f, group, date, Map.of(name, isEvent));
    }

    /** Adds the four columns of each named event, sorting the rows by group and date once for all. */
    public static void add(TabularFrame f, String group, String date, Map<String, IntPredicate> events) {
        double[] g = f.numbers(group), d = f.numbers(date);
        int n = f.rows();
        int[] order = order(g, d);
        for (Map.Entry<String, IntPredicate> e : events.entrySet()) {
            String name = e.getKey();
            double[] after = new double[n], before = new double[n], bw = new double[n], fw = new double[n];
            int start = 0;
            while (start < n) {
                int end = start;
                while (end < n && g[order[end]] == g[order[start]]) {
                    end++;
                }
                fill(order, start, end, d, e.getValue(), after, before, bw, fw);
                start = end;
            }
            f.put("After" + name, after).put("Before" + name, before).put(name + "_bw", bw).put(name + "_fw", fw);
        }
    }

    /**
     * The rows sorted by group, then date, ties in row order (as a stable sort of boxed indices
     * would give, which cost 16 bytes a row and seconds at a million): ranks of both packed into
     * one long per row with the row, one primitive sort.
     */
    static int[] order(double[] g, double[] d) {
        int n = g.length;
        double[] gs = distinctSorted(g), ds = distinctSorted(d);
        if ((double) gs.length * ds.length * n >= Long.MAX_VALUE / 2) {
            Integer[] boxed = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, Comparator.<Integer>comparingDouble(i -> g[i]).thenComparingDouble(i -> d[i]));
            return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            long rank = (long) Arrays.binarySearch(gs, g[i]) * ds.length + Arrays.binarySearch(ds, d[i]);
            keys[i] = rank * n + i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) (keys[i] % n);
        }
        return order;
    }

    private static double[] distinctSorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s); // Double.compare's order, as comparingDouble
        int k = 0;
        for (int i = 0; i < s.length; i++) {
            if (k == 0 || Double.compare(s[i], s[k - 1]) != 0) {
                s[k++] = s[i];
            }
        }
        return Arrays.copyOf(s, k);
    }

    private static void fill(int[] order, int from, int to, double[] d, IntPredicate isEvent,
                             double[] after, double[] before, double[] bw, double[] fw) {
        int m = to - from;
        long[] eventDays = new long[m];
        int k = 0;
        for (int j = from; j < to; j++) {
            if (isEvent.test(order[j])) {
                eventDays[k++] = (long) d[order[j]];
            }
        }
        boolean ascending = true;
        for (int j = 1; j < k && ascending; j++) {
            ascending = eventDays[j] >= eventDays[j - 1];
        }
        if (!ascending) {
            // a missing date (sorted last, read as day 0) among the events: as this was always read
            long[] ev = Arrays.stream(eventDays, 0, k).distinct().toArray();
            for (int j = from; j < to; j++) {
                int row = order[j];
                long day = (long) d[row];
                int idx = Arrays.binarySearch(ev, day);
                int ge = idx >= 0 ? idx : -idx - 1;
                int le = idx >= 0 ? idx : ge - 1;
                after[row] = le >= 0 ? day - ev[le] : Double.NaN;
                before[row] = ge < ev.length ? ev[ge] - day : Double.NaN;
                bw[row] = countIn(ev, day - 6, day);
                fw[row] = countIn(ev, day, day + 6);
            }
            return;
        }
        // the rows come in date order, so the event days are sorted: distinct by their neighbours, unboxed
        long[] ev = new long[k];
        int distinct = 0;
        for (int j = 0; j < k; j++) {
            if (distinct == 0 || eventDays[j] != ev[distinct - 1]) {
                ev[distinct++] = eventDays[j];
            }
        }
        ev = Arrays.copyOf(ev, distinct);
        // the rows come in date order: four pointers into the event days move forward with the day
        // (lower bounds of day - 6, day, day + 1, day + 7), not five binary searches a row
        int p0 = 0, p1 = 0, p2 = 0, p3 = 0;
        long previous = Long.MIN_VALUE;
        for (int j = from; j < to; j++) {
            int row = order[j];
            long day = (long) d[row];
            if (day < previous) {
                p0 = p1 = p2 = p3 = 0; // a missing date sorts last and reads as day 0: start over
            }
            previous = day;
            p0 = lowerBoundFrom(ev, day - 6, p0);
            p1 = lowerBoundFrom(ev, day, p1);
            p2 = lowerBoundFrom(ev, day + 1, p2);
            p3 = lowerBoundFrom(ev, day + 7, p3);
            int ge = p1;
            int le = ge < ev.length && ev[ge] == day ? ge : ge - 1;
            after[row] = le >= 0 ? day - ev[le] : Double.NaN;
            before[row] = ge < ev.length ? ev[ge] - day : Double.NaN;
            bw[row] = p2 - p0;
            fw[row] = p3 - p1;
        }
    }

    /** The first index at or after {@code from} whose value is at least {@code key} (the values sorted). */
    private static int lowerBoundFrom(long[] sorted, long key, int from) {
        int i = from;
        while (i < sorted.length && sorted[i] < key) {
            i++;
        }
        return i;
    }

    private static int countIn(long[] sorted, long lo, long hi) {
        return lowerBound(sorted, hi + 1) - lowerBound(sorted, lo);
    }

    private static int lowerBound(long[] a, long key) {
        int i = Arrays.binarySearch(a, key);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && a[i - 1] == key) {
            i--;
        }
        return i;
    }
}

package io.github.fastdl4j.tabular.data;

import java.util.Arrays;
import java.util.Comparator;
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
        add(f, group, date, java.util.Map.of(name, isEvent));
    }

    /** Adds the four columns of each named event, sorting the rows by group and date once for all. */
    public static void add(TabularFrame f, String group, String date, java.util.Map<String, IntPredicate> events) {
        double[] g = f.numbers(group), d = f.numbers(date);
        int n = f.rows();
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> g[i]).thenComparingDouble(i -> d[i]));
        for (java.util.Map.Entry<String, IntPredicate> e : events.entrySet()) {
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

    private static void fill(Integer[] order, int from, int to, double[] d, IntPredicate isEvent,
                             double[] after, double[] before, double[] bw, double[] fw) {
        int m = to - from;
        long[] eventDays = new long[m];
        int k = 0;
        for (int j = from; j < to; j++) {
            if (isEvent.test(order[j])) {
                eventDays[k++] = (long) d[order[j]];
            }
        }
        long[] ev = Arrays.stream(eventDays, 0, k).distinct().toArray();
        for (int j = from; j < to; j++) {
            int row = order[j];
            long day = (long) d[row];
            // index of the first event day >= day
            int idx = Arrays.binarySearch(ev, day);
            int ge = idx >= 0 ? idx : -idx - 1;
            int le = idx >= 0 ? idx : ge - 1;
            after[row] = le >= 0 ? day - ev[le] : Double.NaN;
            before[row] = ge < ev.length ? ev[ge] - day : Double.NaN;
            bw[row] = countIn(ev, day - 6, day);
            fw[row] = countIn(ev, day, day + 6);
        }
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

package io.github.fastdl4j.common.data;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/** Train/validation splits, like fastai's {@code RandomSplitter} and splitting by time. */
public final class Splits {

    private Splits() {
    }

    /**
     * A random split like fastai's {@code RandomSplitter(valid_pct, seed)}: a seeded shuffle of
     * 0..n-1, the first {@code round(n * validPct)} go to validation. Same seed, same split.
     */
    public static Split random(int n, double validPct, long seed) {
        if (validPct <= 0 || validPct >= 1) {
            throw new IllegalArgumentException("validPct must be in (0, 1), got " + validPct);
        }
        int[] idx = IntStream.range(0, n).toArray();
        shuffle(idx, new Random(seed));
        int nValid = (int) Math.round(n * validPct);
        int[] valid = Arrays.copyOfRange(idx, 0, nValid);
        int[] train = Arrays.copyOfRange(idx, nValid, n);
        Arrays.sort(valid);
        Arrays.sort(train);
        return new Split(train, valid);
    }

    /**
     * Split by time: rows at or after {@code cutoff} are validation, like Kaggle's "predict the
     * last weeks". Times are any ordered long (epoch seconds, epoch days).
     */
    public static Split byTime(long[] times, long cutoff) {
        int[] valid = IntStream.range(0, times.length).filter(i -> times[i] >= cutoff).toArray();
        int[] train = IntStream.range(0, times.length).filter(i -> times[i] < cutoff).toArray();
        if (valid.length == 0 || train.length == 0) {
            throw new IllegalArgumentException("cutoff " + cutoff + " leaves an empty training or validation set");
        }
        return new Split(train, valid);
    }

    /** Split by time so that about the latest {@code validPct} of the rows are validation (ties at the cutoff go to validation). */
    public static Split lastByTime(long[] times, double validPct) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        int first = (int) Math.min(sorted.length - 1, Math.round(sorted.length * (1 - validPct)));
        return byTime(times, sorted[first]);
    }

    /** Fisher-Yates shuffle with the given random source. */
    public static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

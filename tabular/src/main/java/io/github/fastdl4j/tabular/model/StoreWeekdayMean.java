package io.github.fastdl4j.tabular.model;

import io.github.fastdl4j.tabular.data.TabularFrame;

import java.util.HashMap;
import java.util.Map;

/**
 * The baseline every shop-sales model must beat: the mean log(sales) of each (store, day of week)
 * over the training rows (falling back to the store's mean, then the overall mean), predicted as
 * exp(mean), i.e. the geometric mean of that store's sales on that weekday.
 */
public final class StoreWeekdayMean {

    private final Map<Long, double[]> cells;
    private final Map<Long, double[]> stores;
    private final double overall;

    private StoreWeekdayMean(Map<Long, double[]> cells, Map<Long, double[]> stores, double overall) {
        this.cells = cells;
        this.stores = stores;
        this.overall = overall;
    }

    /** Fits on the rows {@code rows} of a frame with Store, DayOfWeek and Sales (> 0). */
    public static StoreWeekdayMean fit(TabularFrame f, int[] rows) {
        double[] store = f.numbers("Store"), dow = f.numbers("DayOfWeek"), sales = f.numbers("Sales");
        Map<Long, double[]> cells = new HashMap<>(), stores = new HashMap<>();
        double sum = 0;
        for (int r : rows) {
            double ly = Math.log(sales[r]);
            add(cells, key(store[r], dow[r]), ly);
            add(stores, (long) store[r], ly);
            sum += ly;
        }
        return new StoreWeekdayMean(cells, stores, rows.length == 0 ? 0 : sum / rows.length);
    }

    private static long key(double store, double dow) {
        return (long) store * 8 + (long) dow;
    }

    private static void add(Map<Long, double[]> m, long k, double v) {
        double[] a = m.computeIfAbsent(k, x -> new double[2]);
        a[0] += v;
        a[1]++;
    }

    /** Predicted sales for the rows {@code rows} of {@code f}. */
    public double[] predict(TabularFrame f, int[] rows) {
        double[] store = f.numbers("Store"), dow = f.numbers("DayOfWeek");
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double[] a = cells.get(key(store[rows[i]], dow[rows[i]]));
            if (a == null) {
                a = stores.get((long) store[rows[i]]);
            }
            out[i] = Math.exp(a == null ? overall : a[0] / a[1]);
        }
        return out;
    }
}

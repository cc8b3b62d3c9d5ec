package io.github.fastdl4j.tabular.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Rossmann store table a model of the lesson's data was trained with: store.csv's rows
 * joined with store_states.csv's state, by store id (1,115 rows for the competition). A model
 * records it (in model.zip) so that a day's row alone can be predicted, without the files.
 * Checked whole on construction, as it may come from a file someone else wrote.
 *
 * @param stores the stores, each id once
 */
public record StoreTable(List<Store> stores) {

    /** The names of {@link Store#numbers}, in order. */
    public static final List<String> NUMBERS = List.of("CompetitionDistance", "CompetitionOpenSinceMonth", "CompetitionOpenSinceYear",
            "Promo2", "Promo2SinceWeek", "Promo2SinceYear");

    /** At most this many stores (a crafted model cannot make a reader allocate without bound). */
    public static final int MAX_STORES = 100_000;

    /**
     * One store.
     *
     * @param store      its id (store.csv's Store)
     * @param type       StoreType: a, b, c or d
     * @param assortment Assortment
     * @param interval   PromoInterval, or null
     * @param numbers    CompetitionDistance, CompetitionOpenSinceMonth, CompetitionOpenSinceYear, Promo2,
     *                   Promo2SinceWeek, Promo2SinceYear (null where empty)
     * @param state      the German state from store_states.csv, or null
     */
    public record Store(int store, String type, String assortment, String interval, List<Double> numbers, String state) {

        public Store {
            if (store < 1) {
                throw new IllegalArgumentException("store ids are 1 or more, got " + store);
            }
            if (!Set.of("a", "b", "c", "d").contains(type)) {
                throw new IllegalArgumentException("store " + store + ": StoreType must be a, b, c or d, got '" + type + "'");
            }
            if (assortment == null) {
                throw new IllegalArgumentException("store " + store + ": no Assortment");
            }
            if (numbers == null || numbers.size() != 6) {
                throw new IllegalArgumentException("store " + store + ": 6 numbers expected (CompetitionDistance .. Promo2SinceYear)");
            }
            for (Double v : numbers) {
                if (v != null && !Double.isFinite(v)) {
                    throw new IllegalArgumentException("store " + store + ": a number is not finite");
                }
            }
            if (numbers.get(3) == null) {
                throw new IllegalArgumentException("store " + store + ": Promo2 must be 0 or 1");
            }
            // the ranges Rossmann checks in store.csv: what the features compute dates from
            double[][] ranges = {{0, Double.MAX_VALUE}, {1, 12}, {1800, 2200}, {0, 1}, {1, 53}, {1800, 2200}};
            for (int k = 0; k < ranges.length; k++) {
                Double v = numbers.get(k);
                if (v != null && (v < ranges[k][0] || v > ranges[k][1] || (k > 0 && v != Math.rint(v)))) {
                    throw new IllegalArgumentException("store " + store + ": " + NUMBERS.get(k) + " " + v + " is outside "
                            + (k == 0 ? "0 or more" : (long) ranges[k][0] + ".." + (long) ranges[k][1]));
                }
            }
            numbers = Collections.unmodifiableList(new ArrayList<>(numbers));
        }
    }

    public StoreTable {
        if (stores == null || stores.isEmpty() || stores.size() > MAX_STORES) {
            throw new IllegalArgumentException("a store table holds 1.." + MAX_STORES + " stores, got "
                    + (stores == null ? 0 : stores.size()));
        }
        Set<Integer> seen = new HashSet<>();
        for (Store s : stores) {
            if (s == null || !seen.add(s.store())) {
                throw new IllegalArgumentException("a store appears twice (or is null)");
            }
        }
        stores = List.copyOf(stores);
    }
}

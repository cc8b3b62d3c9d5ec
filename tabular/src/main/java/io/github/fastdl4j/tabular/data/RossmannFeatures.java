package io.github.fastdl4j.tabular.data;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The Rossmann lesson's feature engineering on a joined frame from {@link Rossmann}: date parts,
 * months since the competitor opened (0..24), weeks of Promo2 (0..25), and time to and from state
 * holidays, school holidays and promos. {@link #CATEGORICAL} and {@link #CONTINUOUS} are the
 * lesson's variables that this data has (no weather, Google trends or events).
 */
public final class RossmannFeatures {

    public static final List<String> CATEGORICAL = List.of("Store", "DayOfWeek", "Year", "Month", "Day",
            "StateHoliday", "CompetitionMonthsOpen", "Promo2Weeks", "StoreType", "Assortment", "PromoInterval",
            "CompetitionOpenSinceYear", "Promo2SinceYear", "State", "Week", "Promo_fw", "Promo_bw",
            "StateHoliday_fw", "StateHoliday_bw", "SchoolHoliday_fw", "SchoolHoliday_bw");
    public static final List<String> CONTINUOUS = List.of("CompetitionDistance", "AfterStateHoliday",
            "BeforeStateHoliday", "AfterSchoolHoliday", "BeforeSchoolHoliday", "AfterPromo", "BeforePromo", "Promo",
            "SchoolHoliday");

    private RossmannFeatures() {
    }

    /** Adds every derived column in place; returns the frame. */
    public static TabularFrame add(TabularFrame f) {
        DatePart.add(f, "Date");
        double[] date = f.numbers("Date");
        int n = f.rows();
        double[] compYear = f.numbers("CompetitionOpenSinceYear"), compMonth = f.numbers("CompetitionOpenSinceMonth");
        double[] p2Year = f.numbers("Promo2SinceYear"), p2Week = f.numbers("Promo2SinceWeek");
        double[] monthsOpen = new double[n], promo2Weeks = new double[n];
        // a few hundred distinct (year, month) and (year, week) pairs among a million rows: their days once each
        Map<Integer, Long> opened = new HashMap<>();
        Map<Long, Long> promo2Since = new HashMap<>();
        for (int i = 0; i < n; i++) {
            // fastai: an unknown opening counts as 1900-01-15, i.e. open for the whole data (capped at 24 months)
            int y = Double.isNaN(compYear[i]) ? 1900 : (int) compYear[i];
            int m = Double.isNaN(compMonth[i]) ? 1 : Math.max(1, Math.min(12, (int) compMonth[i]));
            int ym = y * 16 + m;
            double days = date[i] - opened.computeIfAbsent(ym,
                    k -> LocalDate.of(Math.floorDiv(k, 16), Math.floorMod(k, 16), 15).toEpochDay());
            monthsOpen[i] = y < 1990 ? 24 : Math.min(24, Math.max(0, Math.floor(days / 30)));
            if (Double.isNaN(p2Year[i]) || Double.isNaN(p2Week[i])) {
                promo2Weeks[i] = 0;
            } else {
                long yw = (long) (int) p2Year[i] * 64 + Math.max(1, Math.min(52, (long) p2Week[i]));
                long since = promo2Since.computeIfAbsent(yw, k -> LocalDate.of((int) Math.floorDiv(k, 64), 6, 1)
                        .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Math.floorMod(k, 64)).with(DayOfWeek.MONDAY).toEpochDay());
                promo2Weeks[i] = Math.min(25, Math.max(0, Math.floor((date[i] - since) / 7)));
            }
        }
        f.put("CompetitionMonthsOpen", monthsOpen).put("Promo2Weeks", promo2Weeks);
        double[] school = f.numbers("SchoolHoliday"), promo = f.numbers("Promo");
        String[] holiday = f.text("StateHoliday");
        Map<String, IntPredicate> events = new LinkedHashMap<>();
        events.put("SchoolHoliday", i -> school[i] == 1);
        events.put("StateHoliday", i -> !"0".equals(holiday[i]));
        events.put("Promo", i -> promo[i] == 1);
        Elapsed.add(f, "Store", "Date", events);
        return f;
    }

    /** Rows of a training frame the competition scores: open days with Sales > 0. */
    public static int[] openWithSales(TabularFrame f) {
        double[] open = f.numbers("Open"), sales = f.numbers("Sales");
        int[] out = new int[f.rows()];
        int k = 0;
        for (int i = 0; i < out.length; i++) {
            if (open[i] == 1 && sales[i] > 0) {
                out[k++] = i;
            }
        }
        return Arrays.copyOf(out, k);
    }
}

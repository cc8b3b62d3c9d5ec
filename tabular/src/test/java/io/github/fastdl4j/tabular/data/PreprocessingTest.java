package io.github.fastdl4j.tabular.data;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Categorify, FillMissing, Normalize, DatePart and Elapsed on small hand-written frames. */
class PreprocessingTest {

    static final double NA = Double.NaN;

    @Test
    void categorifySortsValuesKeepsZeroForMissingAndUnseen() {
        TabularFrame train = new TabularFrame(4).put("shop", new String[]{"b", "a", null, "b"})
                .put("year", new double[]{2015, 2013, 2014, NA});
        Categorify c = Categorify.fit(train, List.of("shop", "year"));
        assertEquals(List.of("#na#", "a", "b"), c.vocab("shop"));
        assertEquals(List.of("#na#", "2013", "2014", "2015"), c.vocab("year"), "numbers sort numerically, keys without .0");
        TabularFrame test = new TabularFrame(3).put("shop", new String[]{"a", "zzz", null})
                .put("year", new double[]{2015, 2016, NA});
        assertArrayEquals(new int[]{1, 0, 0}, c.codes(test, "shop"));
        assertArrayEquals(new int[]{3, 0, 0}, c.codes(test, "year"));
        assertEquals(3, c.cardinality("shop"));
        // 10 sorts after 9 numerically, not as text
        TabularFrame nums = new TabularFrame(2).put("n", new double[]{10, 9});
        assertEquals(List.of("#na#", "9", "10"), Categorify.fit(nums, List.of("n")).vocab("n"));
    }

    @Test
    void fillMissingUsesTheTrainingMedianAndAddsAnIndicator() {
        TabularFrame train = new TabularFrame(4).put("dist", new double[]{1, NA, 3, 10}).put("full", new double[]{1, 2, 3, 4});
        FillMissing fm = FillMissing.fit(train, List.of("dist", "full"));
        assertEquals(3.0, fm.medians().get("dist"));
        assertEquals(2.5, fm.medians().get("full"));
        assertEquals(List.of("dist_na"), fm.indicatorNames(), "only columns with missing training values get one");
        TabularFrame test = new TabularFrame(2).put("dist", new double[]{NA, 7}).put("full", new double[]{NA, 1});
        fm.apply(test);
        assertArrayEquals(new double[]{3, 7}, test.numbers("dist"));
        assertArrayEquals(new double[]{1, 0}, test.numbers("dist_na"));
        assertArrayEquals(new double[]{2.5, 1}, test.numbers("full"), "test rows may miss any column");
        assertFalse(test.has("full_na"));
    }

    @Test
    void normalizeUsesTrainingStatisticsAndSurvivesConstants() {
        TabularFrame train = new TabularFrame(4).put("x", new double[]{1, 2, 3, 4}).put("c", new double[]{5, 5, 5, 5});
        Normalize n = Normalize.fit(train, List.of("x", "c"));
        double sd = Math.sqrt(5.0 / 3); // sample std of 1..4
        assertEquals((4 - 2.5) / sd, n.apply("x", 4), 1e-12);
        assertEquals(0, n.apply("c", 5), 0, "a constant column becomes 0, not NaN");
    }

    @Test
    void pipelineAppliesTheProcsInFastaiOrderAndLeavesTheFrameAlone() {
        TabularFrame train = new TabularFrame(3).put("shop", new String[]{"a", "b", "a"})
                .put("dist", new double[]{1, NA, 3}).put("Sales", new double[]{100, 200, 300});
        TabularPipeline p = TabularPipeline.fit(train, List.of("shop"), List.of("dist"), "Sales", true);
        assertEquals(List.of("shop", "dist_na"), p.allCats());
        assertArrayEquals(new int[]{3, 3}, p.cardinalities());
        TabularData d = p.transform(train);
        assertArrayEquals(new int[]{1, 1, 2, 2, 1, 1}, d.cats(), "row-major (shop, dist_na) codes");
        assertEquals(Math.log(200), d.y()[1], 1e-6);
        assertEquals(0, d.conts()[1], 1e-6, "the median fill normalises to the mean here");
        assertTrue(Double.isNaN(train.numbers("dist")[1]), "transform works on a copy");
        assertFalse(train.has("dist_na"));
    }

    @Test
    void datePartMatchesPandas() {
        TabularFrame f = new TabularFrame(2).put("Date", new double[]{LocalDate.of(2015, 7, 31).toEpochDay(),
                LocalDate.of(2015, 1, 1).toEpochDay()});
        DatePart.add(f, "Date");
        assertEquals(2015, f.numbers("Year")[0]);
        assertEquals(7, f.numbers("Month")[0]);
        assertEquals(31, f.numbers("Week")[0]);
        assertEquals(31, f.numbers("Day")[0]);
        assertEquals(4, f.numbers("Dayofweek")[0], "Friday, Monday = 0");
        assertEquals(212, f.numbers("Dayofyear")[0]);
        assertEquals(1, f.numbers("Is_month_end")[0]);
        assertEquals(0, f.numbers("Is_quarter_end")[0]);
        assertEquals(1, f.numbers("Is_year_start")[1]);
        assertEquals(1, f.numbers("Is_quarter_start")[1]);
        assertEquals(1, f.numbers("Week")[1], "2015-01-01 is in ISO week 1");
    }

    @Test
    void elapsedCountsDaysToAndFromEventsPerStore() {
        // store 1 on days 0..5 with events on days 1 and 4; store 2 on days 0..1 without events
        double[] store = {1, 1, 1, 1, 1, 1, 2, 2};
        double[] day = {5, 4, 3, 2, 1, 0, 0, 1};
        double[] event = {0, 1, 0, 0, 1, 0, 0, 0};
        TabularFrame f = new TabularFrame(8).put("Store", store).put("Date", day);
        Elapsed.add(f, "Store", "Date", "Promo", i -> event[i] == 1);
        assertArrayEquals(new double[]{1, 0, 2, 1, 0, NA, NA, NA}, f.numbers("AfterPromo"));
        assertArrayEquals(new double[]{NA, 0, 1, 2, 0, 1, NA, NA}, f.numbers("BeforePromo"));
        assertArrayEquals(new double[]{2, 2, 1, 1, 1, 0, 0, 0}, f.numbers("Promo_bw"));
        assertArrayEquals(new double[]{0, 1, 1, 1, 2, 2, 0, 0}, f.numbers("Promo_fw"));
    }
}

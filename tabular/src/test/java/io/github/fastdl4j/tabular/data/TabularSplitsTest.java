package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The validation rows each splitter picks, as indices into the frame (not into the rows it was given). */
class TabularSplitsTest {

    static TabularFrame frame() {
        return new TabularFrame(6)
                .put("day", new double[]{10, 11, 12, 13, 14, 15})
                .put("is_valid", new String[]{"0", "valid", null, "yes", "train", "1"});
    }

    @Test
    void byDateKeepsTheLastDaysOfTheRowsGiven() {
        Split all = TabularSplits.byDate(frame(), "day", 2);
        assertArrayEquals(new int[]{0, 1, 2, 3}, all.train());
        assertArrayEquals(new int[]{4, 5}, all.valid());
        // rows 1, 3, 4: the last two days among them are 13 and 14, counted from the latest (14)
        Split some = TabularSplits.byDate(frame(), "day", 2, new int[]{1, 3, 4});
        assertArrayEquals(new int[]{1}, some.train());
        assertArrayEquals(new int[]{3, 4}, some.valid());
    }

    @Test
    void byDateRefusesMissingDatesAndASplitWithNothingToTrainOn() {
        TabularFrame f = frame().put("day", new double[]{10, Double.NaN, 12, 13, 14, 15});
        assertEquals("the date column day has missing dates: it cannot split by time",
                assertThrows(IllegalArgumentException.class, () -> TabularSplits.byDate(f, "day", 2)).getMessage());
        assertEquals("the last 6 days of day leave no training or no validation rows",
                assertThrows(IllegalArgumentException.class, () -> TabularSplits.byDate(frame(), "day", 6)).getMessage());
    }

    @Test
    void byColumnValidatesTheTrueFlagsAndRefusesOtherWords() {
        Split s = TabularSplits.byColumn(frame(), "is_valid", new int[]{0, 1, 2, 3, 4, 5});
        assertArrayEquals(new int[]{0, 2, 4}, s.train(), "0, missing and train are training rows");
        assertArrayEquals(new int[]{1, 3, 5}, s.valid());
        TabularFrame f = frame().put("is_valid", new String[]{"0", "1", "maybe", "0", "1", "0"});
        assertEquals("the validation column is_valid holds 'maybe': expected 1/0, true/false, yes/no or valid/train",
                assertThrows(IllegalArgumentException.class,
                        () -> TabularSplits.byColumn(f, "is_valid", new int[]{0, 1, 2})).getMessage());
    }

    @Test
    void randomIsTheSeededSplitOfTheRowsGiven() {
        int[] rows = {5, 7, 9, 11, 13, 15, 17, 19, 21, 23};
        Split idx = Splits.random(rows.length, 0.3, 7);
        Split s = TabularSplits.random(rows, 0.3, 7);
        assertEquals(3, s.valid().length);
        for (int i = 0; i < idx.valid().length; i++) {
            assertEquals(rows[idx.valid()[i]], s.valid()[i]);
        }
        for (int i = 0; i < idx.train().length; i++) {
            assertEquals(rows[idx.train()[i]], s.train()[i]);
        }
    }
}

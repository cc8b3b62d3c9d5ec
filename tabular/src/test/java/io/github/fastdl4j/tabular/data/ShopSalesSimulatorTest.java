package io.github.fastdl4j.tabular.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShopSalesSimulatorTest {

    static final ShopSalesSimulator.Config SMALL = ShopSalesSimulator.Config.defaults().withStores(12)
            .withDates(LocalDate.of(2014, 6, 1), LocalDate.of(2015, 1, 31));

    @Test
    void sameSeedSameFilesOtherSeedOtherSales(@TempDir Path dir) throws IOException {
        ShopSalesSimulator.write(SMALL, dir.resolve("a"));
        ShopSalesSimulator.write(SMALL, dir.resolve("b"));
        ShopSalesSimulator.write(SMALL.withSeed(2), dir.resolve("c"));
        for (String f : new String[]{"train.csv", "store.csv", "store_states.csv", "expected.csv"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        assertFalse(Files.readString(dir.resolve("a/train.csv")).equals(Files.readString(dir.resolve("c/train.csv"))));
    }

    @Test
    void filesParseWithTheCompetitionLoaderAndFollowItsRules(@TempDir Path dir) throws IOException {
        ShopSalesSimulator.Summary s = ShopSalesSimulator.write(SMALL, dir);
        assertEquals("Store,DayOfWeek,Date,Sales,Customers,Open,Promo,StateHoliday,SchoolHoliday",
                Files.readAllLines(dir.resolve("train.csv")).get(0));
        TabularFrame f = Rossmann.loadTrain(dir);
        assertEquals(s.rows(), f.rows());
        // newest date first, as in the competition's train.csv
        assertEquals(LocalDate.of(2015, 1, 31).toEpochDay(), (long) f.numbers("Date")[0]);
        double[] open = f.numbers("Open"), sales = f.numbers("Sales"), dow = f.numbers("DayOfWeek");
        String[] type = f.text("StoreType"), holiday = f.text("StateHoliday");
        long openRows = 0;
        for (int i = 0; i < f.rows(); i++) {
            if (open[i] == 0) {
                assertEquals(0, sales[i], "closed days sell nothing");
            } else {
                openRows++;
                assertTrue(sales[i] > 0);
                assertEquals("0", holiday[i], "shops close on public holidays");
                assertTrue(dow[i] != 7 || "b".equals(type[i]), "only type b opens on Sundays");
            }
        }
        assertEquals(s.openRows(), openRows);
        // Christmas Day is a 'c' holiday everywhere
        double christmas = LocalDate.of(2014, 12, 25).toEpochDay();
        for (int i = 0; i < f.rows(); i++) {
            if (f.numbers("Date")[i] == christmas) {
                assertEquals("c", holiday[i]);
            }
        }
    }

    @Test
    void noiseAroundTheExpectedSalesHasTheDocumentedSigma(@TempDir Path dir) throws IOException {
        ShopSalesSimulator.write(SMALL, dir);
        ShopSales data = ShopSales.load(dir);
        int[] all = IntStream.range(0, data.frame().rows()).toArray();
        double[] expected = data.expected().of(data.frame(), all);
        double[] sales = data.frame().numbers("Sales");
        double sum = 0, ss = 0;
        for (int i = 0; i < all.length; i++) {
            double r = Math.log(sales[i] / expected[i]);
            sum += r;
            ss += r * r;
        }
        double mean = sum / all.length, sd = Math.sqrt(ss / all.length - mean * mean);
        // ~2,000 draws: the standard error of the sd is ~0.002, of the mean ~0.003
        assertEquals(0, mean, 0.015);
        assertEquals(ShopSalesSimulator.NOISE_SIGMA, sd, 0.012);
    }

    @Test
    void easterAndStateHolidaysFollowTheCalendar() {
        assertEquals(LocalDate.of(2015, 4, 5), HolidayCalendar.easter(2015));
        assertEquals(LocalDate.of(2014, 4, 20), HolidayCalendar.easter(2014));
        assertEquals('b', HolidayCalendar.stateHoliday(LocalDate.of(2015, 4, 3), "BE"));
        assertEquals('a', HolidayCalendar.stateHoliday(LocalDate.of(2015, 1, 6), "BY"));
        assertEquals('0', HolidayCalendar.stateHoliday(LocalDate.of(2015, 1, 6), "NW"));
        assertEquals('a', HolidayCalendar.stateHoliday(LocalDate.of(2014, 11, 19), "SN"));
        assertEquals(255, GermanStates.distanceKm(GermanStates.of("BE"), GermanStates.of("HH")), 15);
    }
}

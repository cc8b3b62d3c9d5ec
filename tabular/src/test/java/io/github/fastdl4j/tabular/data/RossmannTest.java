package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RossmannTest {

    static final String STORE = """
            Store,StoreType,Assortment,CompetitionDistance,CompetitionOpenSinceMonth,CompetitionOpenSinceYear,Promo2,Promo2SinceWeek,Promo2SinceYear,PromoInterval
            1,c,a,1270,9,2008,0,,,
            2,a,a,570,11,2007,1,13,2010,"Jan,Apr,Jul,Oct"
            3,a,a,,,,1,14,2011,"Jan,Apr,Jul,Oct"
            """;
    static final String TRAIN = """
            Store,DayOfWeek,Date,Sales,Customers,Open,Promo,StateHoliday,SchoolHoliday
            1,5,2015-07-31,5263,555,1,1,0,1
            2,5,2015-07-31,6064,625,1,1,0,1
            3,4,2015-07-30,0,0,0,0,a,0
            """;

    static Path write(Path dir, String train, String store) throws IOException {
        Files.writeString(dir.resolve("train.csv"), train);
        Files.writeString(dir.resolve("store.csv"), store);
        Files.writeString(dir.resolve("store_states.csv"), "Store,State\n1,HE\n2,TH\n3,\"HB,NI\"\n");
        return dir;
    }

    @Test
    void joinsStoreAndStateColumns(@TempDir Path dir) throws IOException {
        TabularFrame f = Rossmann.loadTrain(write(dir, TRAIN, STORE));
        assertEquals(3, f.rows());
        assertEquals(LocalDate.of(2015, 7, 31).toEpochDay(), (long) f.numbers("Date")[0]);
        assertEquals("c", f.text("StoreType")[0]);
        assertEquals("Jan,Apr,Jul,Oct", f.text("PromoInterval")[1]);
        assertNull(f.text("PromoInterval")[0]);
        assertTrue(Double.isNaN(f.numbers("CompetitionDistance")[2]));
        assertEquals("HB,NI", f.text("State")[2]);
        assertEquals("a", f.text("StateHoliday")[2]);
        assertEquals(2, RossmannFeatures.openWithSales(f).length);
    }

    @Test
    void badInputNamesFileLineAndField(@TempDir Path dir) throws IOException {
        BadInputException date = assertThrows(BadInputException.class, () -> Rossmann.loadTrain(write(dir,
                TRAIN.replace("2015-07-30", "30/07/2015"), STORE)));
        assertTrue(date.getMessage().contains("train.csv:4: field 'Date'"), date.getMessage());
        BadInputException num = assertThrows(BadInputException.class, () -> Rossmann.loadTrain(write(dir,
                TRAIN.replace("6064", "6o64"), STORE)));
        assertTrue(num.getMessage().contains("train.csv:3: field 'Sales': expected numbers, got '6o64'"), num.getMessage());
        BadInputException store = assertThrows(BadInputException.class, () -> Rossmann.loadTrain(write(dir,
                TRAIN.replace("3,4,2015", "9,4,2015"), STORE)));
        assertTrue(store.getMessage().contains("train.csv:4: field 'Store': store 9 is not in"), store.getMessage());
        BadInputException column = assertThrows(BadInputException.class, () -> Rossmann.loadTrain(write(dir,
                TRAIN.replace("Promo,", "Promotion,"), STORE)));
        assertTrue(column.getMessage().contains("field 'Promo': missing column"), column.getMessage());
        BadInputException holiday = assertThrows(BadInputException.class, () -> Rossmann.loadTrain(write(dir,
                TRAIN.replace(",a,0", ",x,0"), STORE)));
        assertTrue(holiday.getMessage().contains("field 'StateHoliday'"), holiday.getMessage());
        BadInputException storeNum = assertThrows(BadInputException.class, () -> Rossmann.loadTrain(write(dir, TRAIN,
                STORE.replace("570", "far"))));
        assertTrue(storeNum.getMessage().contains("store.csv:3: field 'CompetitionDistance'"), storeNum.getMessage());
        // an infinity is a damaged line at its own line and field (it was reported at the header with a valid value)
        BadInputException inf = assertThrows(BadInputException.class, () -> Rossmann.loadTrain(write(dir,
                TRAIN.replace("6064", "Infinity"), STORE)));
        assertTrue(inf.getMessage().contains("train.csv:3: field 'Sales': 'Infinity' is not a finite number"), inf.getMessage());
        BadInputException far = assertThrows(BadInputException.class, () -> Rossmann.loadTrain(write(dir, TRAIN,
                STORE.replace("570", "1e999"))));
        assertTrue(far.getMessage().contains("store.csv:3: field 'CompetitionDistance': '1e999' is not a finite number"),
                far.getMessage());
    }

    @Test
    void readsTheTestLayout(@TempDir Path dir) throws IOException {
        write(dir, TRAIN, STORE);
        Path test = dir.resolve("test.csv");
        Files.writeString(test, "Id,Store,DayOfWeek,Date,Open,Promo,StateHoliday,SchoolHoliday\n"
                + "1,1,4,2015-09-17,1,1,0,0\n2,3,4,2015-09-17,,1,0,0\n");
        TabularFrame f = Rossmann.loadTest(test, dir);
        assertEquals(2, f.rows());
        assertEquals(1, f.numbers("Open")[1], "an empty Open counts as open");
        assertTrue(!f.has("Sales"));
    }
}

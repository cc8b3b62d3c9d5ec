package io.github.fastdl4j.tabular.interpret;

import io.github.fastdl4j.common.data.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** describe's median is exact, as pandas computes it. */
class TableDescriptionTest {

    @Test
    void quantilesInterpolateLinearlyAsPandas() {
        double[] v = {1, 2, 3, 4};
        assertEquals(2.5, TableDescription.quantile(v, 0.5), 0);   // pd.Series([1,2,3,4]).quantile(0.5)
        assertEquals(1.75, TableDescription.quantile(v, 0.25), 0); // .quantile(0.25)
        assertEquals(3.25, TableDescription.quantile(v, 0.75), 0);
        assertEquals(1, TableDescription.quantile(v, 0), 0);
        assertEquals(4, TableDescription.quantile(v, 1), 0);
        assertEquals(7, TableDescription.quantile(new double[]{7}, 0.5), 0);
        assertTrue(Double.isNaN(TableDescription.quantile(new double[0], 0.5)));
    }

    @Test
    void theMedianOfAColumnIsExact(@TempDir Path dir) throws IOException {
        // 1,000 ages 17..76: DataVec's t-digest says 47.4193, the 500th and 501st of the sorted ages are both 47
        Random r = new Random(0);
        StringBuilder b = new StringBuilder("age,missing_some\n");
        int[] ages = new int[1000];
        for (int i = 0; i < ages.length; i++) {
            ages[i] = 17 + r.nextInt(60);
            b.append(ages[i]).append(i % 2 == 0 ? ",1\n" : i == 1 ? ",3\n" : ",\n");
        }
        Arrays.sort(ages);
        assertEquals(47, ages[499]);
        assertEquals(47, ages[500]);
        Path csv = Files.writeString(dir.resolve("t.csv"), b.toString());
        TableDescription d = TableDescription.of(CsvTable.read(csv, CsvTable.Format.csv()), 20);
        assertEquals(47.0, d.columns().get(0).median(), 0);
        assertEquals(1.0, d.columns().get(1).median(), 0, "missing values left out: 500 ones and a 3");
    }
}

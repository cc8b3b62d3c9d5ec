package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.data.TransformProcessExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tables with thousands of columns: short listings, a model too big refused before training, no export that cannot fit. */
class TabularWideTableTest {

    @TempDir
    Path dir;

    static String wide(int columns, int rows) {
        Random r = new Random(2);
        StringBuilder b = new StringBuilder(String.join(",", IntStream.range(0, columns).mapToObj(i -> "c" + i).toList()))
                .append(",y\n");
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                b.append(r.nextInt(10)).append(',');
            }
            b.append(String.format(Locale.ROOT, "%.4f", r.nextDouble())).append('\n');
        }
        return b.toString();
    }

    @Test
    void listingsOfColumnsStopAtTwenty() throws IOException {
        Path csv = Files.writeString(dir.resolve("wide.csv"), wide(300, 40));
        CliRun r = CliRun.run(new TabularMain(), "tabular", "train", "--csv", csv.toString(), "--y", "y", "--epochs", "1",
                "--layers", "4", "--out", dir.resolve("run").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("categorical (300): c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, "
                + "c16, c17, c18, c19 ... and 280 more\n"), r.out());
        assertTrue(r.out().lines().allMatch(l -> l.length() < 1000), "no line lists every column");
        CliRun missing = CliRun.run(new TabularMain(), "tabular", "train", "--csv", csv.toString(), "--y", "nope",
                "--out", dir.resolve("run2").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().strip().endsWith("c17, c18, c19 ... and 281 more"), missing.err());
    }

    @Test
    void aModelTooBigForTheMachineIsRefusedBeforeTrainingSayingWhatToChange() throws IOException {
        Path csv = Files.writeString(dir.resolve("t.csv"), wide(3, 40));
        CliRun r = CliRun.run(new TabularMain(), "tabular", "train", "--csv", csv.toString(), "--y", "y",
                "--layers", "400000,400000", "--out", dir.resolve("run").toString());
        assertEquals(1, r.code(), r.out() + r.err());
        List<String> err = r.err().strip().lines().toList();
        assertEquals(1, err.size(), r.err());
        assertTrue(err.get(0).contains("the tabular model (3 categorical columns") && err.get(0).contains("160,010,000,193 parameters"),
                err.get(0));
        assertTrue(err.get(0).endsWith("name fewer columns (--cat, --cont, a lower --max-card) or smaller --layers, or raise "
                + "both in JAVA_OPTS"), err.get(0));
        assertFalse(r.out().contains("train_loss"), "refused before the first epoch");
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void theDataVecExportIsLeftOutWhereItsSchemasWouldNotFit() {
        // DataVec keeps a schema per step: 10,000 columns were 400 million column descriptions and ran out of heap
        for (int columns : new int[]{500, 10_000}) {
            TabularFrame f = new TabularFrame(20);
            List<String> cats = new ArrayList<>();
            for (int j = 0; j < columns; j++) {
                double[] v = new double[20];
                for (int i = 0; i < 20; i++) {
                    v[i] = (i + j) % 5;
                }
                f.put("c" + j, v);
                cats.add("c" + j);
            }
            f.put("y", IntStream.range(0, 20).asDoubleStream().toArray());
            TabularPipeline p = TabularPipeline.fit(f, cats, List.of(), "y", false);
            assertEquals(columns < 1000, TransformProcessExport.fits(p), columns + " columns");
        }
    }
}

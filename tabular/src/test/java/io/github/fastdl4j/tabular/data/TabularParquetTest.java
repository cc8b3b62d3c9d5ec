package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.ParquetFixtures;
import io.github.fastdl4j.tabular.cli.TabularMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A table as Parquet reads to the same columns as the same table as CSV, and trains from the command line. */
class TabularParquetTest {

    private static final String SCHEMA = "message t { required int32 store; required int64 customers; optional double temp; "
            + "optional binary state (STRING); required boolean promo; required int32 date (DATE); required double sales; }";

    @TempDir
    Path tmp;

    /** Rows in the schema's order; nulls in temp and state. */
    private static List<Object[]> rows(int n, long seed) {
        Random r = new Random(seed);
        String[] states = {"BE", "BY", "HE", "NW"};
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int store = 1 + r.nextInt(5);
            boolean promo = r.nextBoolean();
            rows.add(new Object[]{store, (long) r.nextInt(2000), i % 17 == 0 ? null : Math.round(r.nextGaussian() * 100) / 10.0,
                    i % 13 == 0 ? null : states[r.nextInt(states.length)], promo, 16_436 + i % 120,
                    1000.0 * store + (promo ? 500 : 0) + r.nextInt(100)});
        }
        return rows;
    }

    private static Path csv(Path file, List<Object[]> rows) throws IOException {
        StringBuilder b = new StringBuilder("store,customers,temp,state,promo,date,sales\n");
        for (Object[] row : rows) {
            b.append(row[0]).append(',').append(row[1]).append(',').append(row[2] == null ? "" : row[2]).append(',')
                    .append(row[3] == null ? "" : row[3]).append(',').append(row[4]).append(',')
                    .append(LocalDate.ofEpochDay((Integer) row[5])).append(',').append(row[6]).append('\n');
        }
        return Files.writeString(file, b.toString());
    }

    @Test
    void theSameTableAsParquetAndAsCsvGivesTheSameColumnsAndSplit() throws IOException {
        List<Object[]> rows = rows(400, 1);
        Path pq = ParquetFixtures.write(tmp.resolve("t.parquet"), SCHEMA, rows);
        Path csv = csv(tmp.resolve("t.csv"), rows);
        TabularCsv.Table a = TabularCsv.read(csv, CsvTable.Format.csv(), List.of("date"), Dates.of(null));
        TabularCsv.Table b = TabularCsv.read(pq, CsvTable.Format.csv(), List.of("date"), Dates.of(null));
        assertEquals(a.csv().names(), b.csv().names());
        for (String c : a.csv().names()) {
            if (c.equals("sales")) {
                continue; // whole numbers: INTEGER in the CSV, DOUBLE (a float dtype) in Parquet; values below
            }
            assertEquals(a.csv().type(c), b.csv().type(c), c);
            if (a.frame().column(c) instanceof TabularFrame.Numbers n) {
                assertArrayEquals(n.values(), b.frame().numbers(c), c);
            } else {
                assertArrayEquals(a.frame().text(c), b.frame().text(c), c);
            }
        }
        assertArrayEquals(a.frame().numbers("sales"), b.frame().numbers("sales"));
        assertEquals(CsvTable.Type.DOUBLE, b.csv().type("sales"));
        assertEquals(TabularCsv.contCatSplit(a, 20, Set.of("sales", "date")), TabularCsv.contCatSplit(b, 20, Set.of("sales", "date")));
        assertEquals(List.of("store", "state", "promo"), TabularCsv.contCatSplit(b, 20, Set.of("sales", "date")).cats());
        assertEquals(List.of("customers", "temp"), TabularCsv.contCatSplit(b, 20, Set.of("sales", "date")).conts());
        assertEquals(a.missingReport(a.csv().names()), b.missingReport(b.csv().names()));
        assertEquals(Arrays.stream(b.frame().numbers("date")).min().orElseThrow(), 16_436.0); // days, as the CSV's dates read
    }

    @Test
    void trainPredictAndDescribeReadParquetAndRefuseCsvOptionsForIt() {
        Path pq = ParquetFixtures.write(tmp.resolve("t.parquet"), SCHEMA, rows(300, 2));
        Path run = tmp.resolve("run");
        CliRun t = CliRun.run(new TabularMain(), "tabular", "train", "--csv", pq.toString(), "--y", "sales", "--date-parts", "date",
                "--epochs", "1", "--layers", "8", "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains(pq + ": 300 rows, 7 columns, read through parquet-java in "), t.out());
        Path rows = ParquetFixtures.write(tmp.resolve("rows.parquet"), SCHEMA, rows(20, 3));
        CliRun p = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", run.resolve("model.zip").toString(),
                "--csv", rows.toString(), "--out", tmp.resolve("pred.csv").toString());
        assertEquals(0, p.code(), p.err());
        CliRun d = CliRun.run(new TabularMain(), "tabular", "describe", "--csv", pq.toString());
        assertEquals(0, d.code(), d.err());
        CliRun sep = CliRun.run(new TabularMain(), "tabular", "train", "--csv", pq.toString(), "--y", "sales", "--sep", ";");
        assertEquals(2, sep.code());
        assertTrue(sep.err().startsWith("error: --sep is about how a CSV is written, and " + pq + " is Parquet"), sep.err());
        CliRun describeSep = CliRun.run(new TabularMain(), "tabular", "describe", "--csv", pq.toString(), "--no-header");
        assertEquals(2, describeSep.code());
        assertTrue(describeSep.err().startsWith("error: --no-header is about how a CSV is written"), describeSep.err());
        CliRun predictEnc = CliRun.run(new TabularMain(), "tabular", "predict", "--model-file", run.resolve("model.zip").toString(),
                "--csv", rows.toString(), "--encoding", "ISO-8859-1", "--out", tmp.resolve("pred2.csv").toString());
        assertEquals(2, predictEnc.code(), predictEnc.err());
        assertTrue(predictEnc.err().contains("error: --encoding is about how a CSV is written"), predictEnc.err());
    }

    @Test
    void aDamagedOrCutParquetTableIsOneLine() throws IOException {
        Path pq = ParquetFixtures.write(tmp.resolve("t.parquet"), SCHEMA, rows(50, 4));
        byte[] whole = Files.readAllBytes(pq);
        Path cut = Files.write(tmp.resolve("cut.parquet"), Arrays.copyOf(whole, whole.length - 9));
        CliRun r = CliRun.run(new TabularMain(), "tabular", "train", "--csv", cut.toString(), "--y", "sales", "--epochs", "1");
        assertEquals(1, r.code());
        assertTrue(!r.err().contains("\tat "), r.err());
        List<String> err = r.err().strip().lines().filter(l -> l.startsWith("error")).toList();
        assertEquals(List.of("error: " + cut + ": a Parquet file cut short (it does not end with PAR1: a copy or write that did not "
                + "finish?)"), err);
        Path listed = ParquetFixtures.write(tmp.resolve("l.parquet"), "message t { required double y; optional group tags (LIST) "
                + "{ repeated group list { optional binary element (STRING); } } }", List.<Object[]>of(new Object[]{1.0, null}));
        String m = assertThrows(BadInputException.class, () -> TabularCsv.read(listed, CsvTable.Format.csv().types(
                Map.of("tags", CsvTable.Type.TEXT)), List.of(), Dates.of(null))).getMessage();
        assertEquals(listed + ": column 'tags': a list is not read here (whole numbers, decimals, text, booleans, dates and "
                + "timestamps are)", m);
    }
}

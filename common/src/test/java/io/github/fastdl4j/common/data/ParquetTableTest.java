package io.github.fastdl4j.common.data;

import io.github.fastdl4j.common.testing.ParquetFixtures;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parquet files read into primitive columns, and every way a file can be wrong as one line. */
class ParquetTableTest {

    @TempDir
    Path tmp;

    private static final String SCHEMA = "message t { required int32 i; optional int64 l; optional float f; required double d; "
            + "optional binary s (STRING); optional boolean b; optional int32 day (DATE); "
            + "optional int64 ts (TIMESTAMP(MILLIS,true)); optional int64 price (DECIMAL(10,2)); optional group tags (LIST) "
            + "{ repeated group list { optional binary element (STRING); } } }";

    private Path sample() {
        List<Object[]> rows = List.of(
                new Object[]{1, 10L, 0.5f, 1.25, "a", true, 16647, 1_438_300_800_000L, 1999L, null},
                new Object[]{-2, null, null, Double.POSITIVE_INFINITY, null, false, null, 1_438_387_200_123L, -5L, null},
                new Object[]{3, 30L, 2.5f, 3.0, "a", null, 0, null, null, null});
        return ParquetFixtures.write(tmp.resolve("t.parquet"), SCHEMA, rows);
    }

    @Test
    void readsEachTypeIntoItsPrimitiveColumnWithNulls() {
        ParquetTable t = ParquetTable.read(sample(), null);
        assertEquals(3, t.rows());
        assertEquals(List.of("i", "l", "f", "d", "s", "b", "day", "ts", "price", "tags"), t.names());
        assertEquals(Map.of("tags", "a list"), t.unreadable());
        assertArrayEquals(new int[]{1, -2, 3}, t.column("i").ints());
        assertEquals(ParquetTable.Kind.LONG, t.column("l").kind());
        assertArrayEquals(new long[]{10, 0, 30}, t.column("l").longs());
        assertTrue(t.column("l").isNull(1));
        assertFalse(t.column("l").isNull(0));
        assertArrayEquals(new float[]{0.5f, 0, 2.5f}, t.column("f").floats());
        assertEquals(Double.POSITIVE_INFINITY, t.column("d").doubles()[1]);
        assertArrayEquals(new String[]{"a", null, "a"}, t.column("s").texts());
        assertEquals("true", t.column("b").text(0));
        assertEquals("false", t.column("b").text(1));
        assertEquals("2015-07-31", t.column("day").text(0));
        assertEquals("1970-01-01", t.column("day").text(2));
        assertEquals(1_438_387_200L, t.column("ts").longs()[1]); // seconds
        assertEquals("2015-08-01", t.column("ts").text(1));
        assertEquals(19.99, t.column("price").number(0), 1e-12);
        assertEquals(-0.05, t.column("price").number(1), 1e-12);
        assertTrue(Double.isNaN(t.column("price").number(2)));
    }

    @Test
    void readsOnlyTheColumnsAskedFor() {
        ParquetTable t = ParquetTable.read(sample(), List.of("s", "i"));
        assertTrue(t.has("i"));
        assertTrue(t.has("s"));
        assertFalse(t.has("d"));
    }

    @Test
    void asACsvTableNumbersAreIntegerOrDoubleAndTheRestText() {
        CsvTable c = ParquetTable.read(sample(), null).toCsvTable(Map.of("l", CsvTable.Type.TEXT));
        assertEquals(List.of("i", "l", "f", "d", "s", "b", "day", "ts", "price"), c.names());
        assertEquals(CsvTable.Type.INTEGER, c.type("i"));
        assertEquals(CsvTable.Type.TEXT, c.type("l")); // declared
        assertArrayEquals(new String[]{"10", null, "30"}, c.texts("l"));
        assertEquals(CsvTable.Type.DOUBLE, c.type("f"));
        assertEquals(CsvTable.Type.DOUBLE, c.type("d")); // a float column is continuous even when its values are whole
        assertEquals(CsvTable.Type.TEXT, c.type("b"));
        assertEquals(CsvTable.Type.TEXT, c.type("day"));
        assertArrayEquals(new double[]{1, -2, 3}, c.numbers("i"));
        assertTrue(Double.isNaN(c.numbers("d")[1]));
        assertEquals(List.of(new CsvTable.Cell(1, 2, "inf")), c.nonFinite("d"));
        assertEquals(1, c.missing("d"));
        assertEquals(3, c.line(2));
        assertArrayEquals(new String[]{"2015-07-31", null, "1970-01-01"}, c.texts("day"));
    }

    @Test
    void aFolderOfPartsIsOneTableInNameOrder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("out.parquet"));
        String schema = "message m { required int32 x; }";
        ParquetFixtures.write(dir.resolve("part-00001.parquet"), schema, List.<Object[]>of(new Object[]{3}));
        ParquetFixtures.write(dir.resolve("part-00000.parquet"), schema, List.<Object[]>of(new Object[]{1}, new Object[]{2}));
        Files.writeString(dir.resolve("_SUCCESS"), "");
        assertTrue(ParquetTable.isParquet(dir));
        assertArrayEquals(new int[]{1, 2, 3}, ParquetTable.read(dir, List.of("x")).column("x").ints());
        ParquetFixtures.write(dir.resolve("part-00002.parquet"), "message m { required int64 x; }", List.<Object[]>of(new Object[]{4L}));
        String m = assertThrows(BadInputException.class, () -> ParquetTable.read(dir, List.of("x"))).getMessage();
        assertTrue(m.startsWith(dir.resolve("part-00002.parquet") + ": its columns differ from those of part-00000.parquet"), m);
    }

    @Test
    void manyRowGroupsAndCodecsReadTheSameValues() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(new Object[]{i, "v" + (i % 7)});
        }
        String schema = "message m { required int32 x; required binary s (STRING); }";
        for (CompressionCodecName codec : List.of(CompressionCodecName.UNCOMPRESSED, CompressionCodecName.SNAPPY,
                CompressionCodecName.GZIP, CompressionCodecName.ZSTD)) {
            Path f = ParquetFixtures.write(tmp.resolve(codec + ".parquet"), schema, rows, codec, 4096);
            ParquetTable t = ParquetTable.read(f, null);
            assertEquals(5000, t.rows(), codec.name());
            int[] x = t.column("x").ints();
            for (int i = 0; i < 5000; i++) {
                assertEquals(i, x[i]);
                assertEquals("v" + (i % 7), t.column("s").texts()[i]);
            }
        }
    }

    @Test
    void version2DataPagesWithNullsReadTheSameValues() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(new Object[]{i % 5 == 0 ? null : i, i % 3 == 0 ? null : "c" + (i % 4), (double) i / 8});
        }
        String schema = "message m { optional int32 x; optional binary s (STRING); required double d; }";
        Path f = ParquetFixtures.write(tmp.resolve("v2.parquet"), schema, rows, CompressionCodecName.SNAPPY, 2048, true);
        ParquetTable t = ParquetTable.read(f, null);
        for (int i = 0; i < 3000; i++) {
            assertEquals(i % 5 == 0, t.column("x").isNull(i));
            assertEquals(i % 5 == 0 ? 0 : i, t.column("x").ints()[i]);
            assertEquals(i % 3 == 0 ? null : "c" + (i % 4), t.column("s").texts()[i]);
            assertEquals(i / 8.0, t.column("d").doubles()[i]);
        }
    }

    @Test
    void pandasIndexIsNotReadAsData() {
        Path f = ParquetFixtures.write(tmp.resolve("pd.parquet"), "message m { required double y; required int64 __index_level_0__; }",
                List.<Object[]>of(new Object[]{1.5, 10L}, new Object[]{2.5, 11L}));
        CsvTable c = ParquetTable.readTable(f, Map.of());
        assertEquals(List.of("y"), c.names());
    }

    @Test
    void int96TimestampsAreSparksLegacyOnes() {
        // 2015-07-31 12:00:00 UTC: Julian day 2457235, 12 h of nanoseconds
        byte[] b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(12L * 3600 * 1_000_000_000L).putInt(2_457_235).array();
        Path f = ParquetFixtures.write(tmp.resolve("i96.parquet"), "message m { required int96 t; }", List.<Object[]>of(new Object[]{b}));
        ParquetTable.Column c = ParquetTable.read(f, null).column("t");
        assertEquals(1_438_344_000L, c.longs()[0]);
        assertEquals("2015-07-31", c.text(0));
    }

    private String refusal(Path p, List<String> wanted) {
        return assertThrows(BadInputException.class, () -> ParquetTable.read(p, wanted)).getMessage();
    }

    @Test
    void whatIsWrongIsOneLineNamingTheFileAndColumn() throws IOException {
        Path f = sample();
        assertEquals(f + ": column 'rating': no such column; the file has i, l, f, d, s, b, day, ts, price, tags",
                refusal(f, List.of("i", "rating")));
        assertEquals(f + ": column 'tags': a list is not read here (whole numbers, decimals, text, booleans, dates and timestamps are)",
                refusal(f, List.of("tags")));
        Path csv = Files.writeString(tmp.resolve("ratings.parquet.parquet"), "userId,movieId\n1,2\n");
        assertEquals(csv + ": not a Parquet file (it does not begin with PAR1)", refusal(csv, null));
        Path empty = Files.write(tmp.resolve("empty.parquet"), new byte[0]);
        assertEquals(empty + ": the file is empty; a Parquet file is needed", refusal(empty, null));
        byte[] whole = Files.readAllBytes(f);
        Path cut = Files.write(tmp.resolve("cut.parquet"), Arrays.copyOf(whole, whole.length / 2));
        assertEquals(cut + ": a Parquet file cut short (it does not end with PAR1: a copy or write that did not finish?)",
                refusal(cut, null));
        assertEquals(tmp.resolve("none.parquet") + ": Parquet file not found", refusal(tmp.resolve("none.parquet"), null));
        Path folder = Files.createDirectories(tmp.resolve("nothing"));
        assertEquals(folder + ": a folder without *.parquet files", refusal(folder, null));
    }

    @Test
    void aDamagedFileIsOneLineWhateverByteIsWrong() throws IOException {
        byte[] whole = Files.readAllBytes(sample());
        Set<String> starts = new TreeSet<>();
        Random r = new Random(7);
        for (int k = 0; k < 300; k++) {
            byte[] b = whole.clone();
            int at = 4 + r.nextInt(b.length - 8); // keep the magic: damage inside
            b[at] = (byte) r.nextInt(256);
            Path f = Files.write(tmp.resolve("d" + k + ".parquet"), b);
            try {
                ParquetTable.read(f, null);
            } catch (BadInputException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
                starts.add(e.getMessage().substring(f.toString().length() + 2, Math.min(e.getMessage().length(), f.toString().length() + 30)));
            }
        }
        assertFalse(starts.isEmpty());
    }

    @Test
    void parquetIsFoundByNameOrByItsMagicBytes() throws IOException {
        Path f = sample();
        Path noName = Files.copy(f, tmp.resolve("table.bin"));
        assertTrue(ParquetTable.isParquet(noName));
        assertTrue(ParquetTable.isParquet(tmp.resolve("missing.PARQUET")));
        assertFalse(ParquetTable.isParquet(Files.writeString(tmp.resolve("x.csv"), "a,b\n")));
        assertFalse(ParquetTable.isParquet(Files.createDirectories(tmp.resolve("csvs"))));
    }
}

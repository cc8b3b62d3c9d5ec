package io.github.fastdl4j.common.data;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link CsvTable} reads what files in the wild hold: unnamed columns, infinities, very wide headers. */
class CsvTableTest {

    @TempDir
    Path tmp;

    /** Reads a file, returning the table and what it printed. */
    private record Read(CsvTable table, String out) {
    }

    private Read read(String name, String content) throws IOException {
        Path f = Files.writeString(tmp.resolve(name), content);
        PrintStream old = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        try {
            return new Read(CsvTable.read(f, CsvTable.Format.csv()), o.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void trailingSeparatorsAreEmptyUnnamedColumnsDroppedWithANote() throws IOException {
        // MovieLens ml-latest-small's ratings.csv as published in a public repository
        Read r = read("ratings.csv", "userId,movieId,rating,timestamp,,,,\n1,31,2.5,1260759144,,,,\n1,1029,3.0,1260759179,,,,\n");
        assertEquals(List.of("userId", "movieId", "rating", "timestamp"), r.table().names());
        assertArrayEquals(new double[]{2.5, 3.0}, r.table().numbers("rating"));
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().startsWith("note: ") && r.out().contains("ratings.csv: dropped 4 unnamed columns without a value "
                + "in any row (5, 6, 7, 8)"), r.out());
    }

    @Test
    void linesWithoutTheHeadersTrailingSeparatorsReadToo() throws IOException {
        Read r = read("t.csv", "a,b,,\n1,2\n3,4,,\n5,6,\n");
        assertEquals(List.of("a", "b"), r.table().names());
        assertArrayEquals(new double[]{2, 4, 6}, r.table().numbers("b"));
        // a named column missing from a line is still a damaged line
        BadInputException e = Assertions.assertThrows(BadInputException.class, () -> read("u.csv", "a,b,c,\n1,2\n"));
        assertTrue(e.getMessage().contains("u.csv:2: field 'line': expected 4 fields as in the header, found 2"), e.getMessage());
    }

    @Test
    void anUnnamedColumnWithValuesGetsPandasName() throws IOException {
        Read r = read("t.csv", "a,,c,\n1,x,3,\n2,,4,\n");
        assertEquals(List.of("a", "Unnamed: 1", "c"), r.table().names());
        assertArrayEquals(new String[]{"x", null}, r.table().texts("Unnamed: 1"));
        assertTrue(r.out().contains("dropped 1 unnamed column without a value in any row (4); named 1 unnamed column that "
                + "hold values as pandas does (2 'Unnamed: 1')"), r.out());
    }

    @Test
    void aHeaderWithNamesEverywherePrintsNothing() throws IOException {
        assertEquals("", read("t.csv", "a,b\n1,2\n").out());
    }

    @Test
    void infinitiesAndOverflowsInNumbersAreMissingValuesNotText() throws IOException {
        CsvTable t = read("t.csv", "x,y\n1,2\n2,Infinity\n3,1e999\n4,-inf\n5,NaN\n6,0.5\n").table();
        assertEquals(CsvTable.Type.DOUBLE, t.type("y"), "still numbers");
        double[] y = t.numbers("y");
        assertEquals(2, y[0]);
        assertTrue(Double.isNaN(y[1]) && Double.isNaN(y[2]) && Double.isNaN(y[3]) && Double.isNaN(y[4]));
        assertEquals(0.5, y[5]);
        assertEquals(4, t.missing("y"), "the three infinities and the NaN");
        assertEquals(List.of(new CsvTable.Cell(1, 3, "Infinity"), new CsvTable.Cell(2, 4, "1e999"), new CsvTable.Cell(3, 5, "-inf")),
                t.nonFinite("y"));
        assertEquals(List.of(), t.nonFinite("x"));
        // a whole-number column with an infinity stays one, as with an empty cell (a missing value changes no column's kind)
        assertEquals(CsvTable.Type.INTEGER, read("u.csv", "n\n1\ninf\n3\n").table().type("n"));
        assertEquals(CsvTable.Type.INTEGER, read("v.csv", "n,m\n1,a\n,b\n3,c\n").table().type("n"));
    }

    @Test
    void inAColumnOfTextAnInfinityIsTextAsWritten() throws IOException {
        CsvTable t = read("t.csv", "c\n1\nInfinity\nabc\n").table();
        assertEquals(CsvTable.Type.TEXT, t.type("c"));
        assertArrayEquals(new String[]{"1", "Infinity", "abc"}, t.texts("c"));
        assertEquals(List.of(), t.nonFinite("c"));
        assertEquals(0, t.missing("c"));
    }

    @Test
    void messagesListAtMostTwentyColumns() throws IOException {
        String header = String.join(",", IntStream.range(0, 500).mapToObj(i -> "c" + i).toList());
        CsvTable t = read("wide.csv", header + "\n" + "1,".repeat(499) + "1\n").table();
        BadInputException e = Assertions.assertThrows(BadInputException.class, () -> t.numbers("nope"));
        assertTrue(e.getMessage().endsWith("c17, c18, c19 ... and 480 more"), e.getMessage());
        assertEquals("a, b ... and 1 more", BadInputException.listed(List.of("a", "b", "c"), 2));
        assertEquals("a, b", BadInputException.listed(List.of("a", "b"), 2));
    }

    /** A table's content as one comparable value: names, types, line numbers, each column's texts and numbers. */
    private static String contentOf(CsvTable t) {
        StringBuilder b = new StringBuilder(t.names() + " " + t.types() + " rows " + t.rows() + "\n");
        for (int i = 0; i < t.rows(); i++) {
            b.append(t.line(i)).append(' ');
        }
        for (String c : t.names()) {
            b.append('\n').append(c).append(' ').append(Arrays.toString(t.texts(c)));
            if (t.type(c) != CsvTable.Type.TEXT) {
                b.append(' ').append(Arrays.toString(t.numbers(c)));
            }
        }
        return b.toString();
    }

    /** What reading gives, or the error's message with the file's path written as NAME. */
    private static String outcome(Supplier<CsvTable> read, String path) {
        try {
            return contentOf(read.get());
        } catch (BadInputException e) {
            return "error: " + e.getMessage().replace(path, "NAME");
        }
    }

    @Test
    void textInMemoryReadsAsTheSameFileWould() throws IOException {
        // what the server reads a request's CSV body with, without a temporary file: the same table, line numbers and messages
        List<String> texts = List.of(
                "a,b,c\n1,x,2.5\n2,y,\n",
                "\uFEFFa;b\r\n1;2\r\n\r\n3;4\r\n",
                "\n\nname,age\n\"Smith, J\",40\n\"O\"\"Neil\",NA\n",
                "u::m::r\n1::2::3.5\n",
                "a\tb\n1\t\"q\n",
                "a,b,,\n1,2\n3,4,,\n",
                "a,b,c\n1,2\n",
                "a,a\n1,2\n",
                "x,y\n1e400,-inf\nInfinity,3\n",
                "only,header\n",
                "",
                "   \n");
        for (String text : texts) {
            Path f = Files.writeString(tmp.resolve("t.csv"), text);
            for (CsvTable.Format format : List.of(CsvTable.Format.csv(), CsvTable.Format.csv().separator(","),
                    CsvTable.Format.csv().noHeader(null))) {
                String fromFile = outcome(() -> CsvTable.read(f, format), f.toString());
                String fromText = outcome(() -> CsvTable.read(Path.of("NAME"), text, format), "NAME");
                assertEquals(fromFile, fromText, text);
                Files.delete(f);
                Files.writeString(f, text);
            }
        }
    }
}

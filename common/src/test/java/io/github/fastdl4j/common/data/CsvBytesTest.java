package io.github.fastdl4j.common.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CsvBytes}, CsvTable's fast path, against DataVec's path on the same files: every name,
 * type, value (bit for bit), missing count, non-finite cell, line number, printed note and error
 * message equal; and the fast path taken where it should be.
 */
class CsvBytesTest {

    @TempDir
    Path tmp;

    /** Everything a read gives, as text: the table, what it printed, or its error. */
    private record Outcome(String text, boolean fromBytes) {
    }

    private static Outcome outcome(Supplier<CsvTable> read) {
        PrintStream old = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        try {
            CsvTable t = read.get();
            StringBuilder b = new StringBuilder();
            b.append("names ").append(t.names()).append('\n').append("rows ").append(t.rows()).append(" lines");
            for (int i = 0; i < t.rows(); i++) {
                b.append(' ').append(t.line(i));
            }
            b.append('\n');
            for (String c : t.names()) {
                b.append(c).append(' ').append(t.type(c)).append(" missing ").append(t.missing(c)).append(" nonFinite ")
                        .append(t.nonFinite(c)).append(": ");
                if (t.type(c) == CsvTable.Type.TEXT) {
                    b.append(Arrays.toString(t.texts(c)));
                } else {
                    for (double v : t.numbers(c)) {
                        b.append(v).append(' '); // Double.toString tells -0.0 from 0.0
                    }
                }
                b.append('\n');
            }
            b.append("schema ").append(t.schema().getColumnTypes()).append("\nprinted ").append(o.toString(StandardCharsets.UTF_8));
            return new Outcome(b.toString(), t.fromBytes());
        } catch (BadInputException e) {
            return new Outcome("error " + e.getMessage() + "\nprinted " + o.toString(StandardCharsets.UTF_8), false);
        } finally {
            System.setOut(old);
        }
    }

    /** Reads {@code f} both ways, asserts equal outcomes and returns whether the fast path read it. */
    private static boolean same(Path f, CsvTable.Format format) {
        Outcome slow = outcome(() -> CsvTable.read(f, format, false));
        Outcome fast = outcome(() -> CsvTable.read(f, format, true));
        assertEquals(slow.text(), fast.text(), () -> {
            try {
                return "file " + f + ":\n" + Files.readString(f, format.charset());
            } catch (IOException e) {
                return f.toString();
            }
        });
        return fast.fromBytes();
    }

    private Path write(String name, String content, Charset cs) throws IOException {
        return Files.write(tmp.resolve(name), content.getBytes(cs));
    }

    @Test
    void aPlainTableIsReadFromTheBytesToTheSameTable() throws IOException {
        Path f = write("train.csv", "Store,DayOfWeek,Date,Sales,Customers,Open,Promo,StateHoliday,SchoolHoliday\n"
                + "1,5,2015-07-31,5263,555,1,1,0,1\n2,5,2015-07-31,6064,625,1,1,0,1\n1,4,2015-07-30,0,0,0,0,a,0\n", StandardCharsets.UTF_8);
        assertTrue(same(f, CsvTable.Format.csv().separator(",").types(Map.of("Date", CsvTable.Type.TEXT))));
        Path g = write("d.csv", "\uFEFFa;b;c;;\r\n 1.5 ; x ;NA;;\r\n\r\n-0.0;café;7;;\r\n.5;x;;;\r\n", StandardCharsets.UTF_8);
        assertTrue(same(g, CsvTable.Format.csv()), "a byte-order mark, ;, CRLF, a blank line, spaces, UTF-8 text, trailing separators");
    }

    @Test
    void quotedFieldsAndOtherLinesLeftToDataVecReadTheSame() throws IOException {
        assertTrue(same(write("q.csv", "a,b\n1,\"x, y\"\n2,z\n\" \"\n3,\"4\"\n", StandardCharsets.UTF_8), CsvTable.Format.csv()),
                "fields quoted whole are read from the bytes");
        assertFalse(same(write("p.csv", "a,b\n1,\"x \"\"y\"\"\"\n2,z\n", StandardCharsets.UTF_8), CsvTable.Format.csv()));
        assertFalse(same(write("v.csv", "a,b\n1,\"\"\n", StandardCharsets.UTF_8), CsvTable.Format.csv()), "DataVec reads \"\" as \"");
        assertFalse(same(write("s.csv", "a,b\n1, \"x\"\n2,z\n", StandardCharsets.UTF_8), CsvTable.Format.csv()));
        assertFalse(same(write("e.csv", "a,b\n1,x\\y\n", StandardCharsets.UTF_8), CsvTable.Format.csv()));
        assertFalse(same(write("r.csv", "a,b\r1,2\r3,4\r", StandardCharsets.UTF_8), CsvTable.Format.csv()));
        assertFalse(same(write("n.csv", "a,b\n1,2\n3\n", StandardCharsets.UTF_8), CsvTable.Format.csv()), "a short line: the error");
        assertFalse(same(write("t.csv", "a,b\n1,2\n3,x\n", StandardCharsets.UTF_8),
                CsvTable.Format.csv().types(Map.of("b", CsvTable.Type.INTEGER))), "a declared type: the error");
        assertFalse(same(write("h.csv", "\na,b\n1,2\n", StandardCharsets.UTF_8), CsvTable.Format.csv()), "a blank first line");
        assertFalse(same(write("o.csv", "a,b\n", StandardCharsets.UTF_8), CsvTable.Format.csv()), "no rows");
    }

    private static final String[] VALUES = {"1", "-2", "+3", "007", "0", "-0", "123456789012345678", "1234567890123456789",
        "1.5", "-0.0", "0.1", ".5", "5.", "1e3", "1E-3", "3.14159265358979", "0.30000000000000004", "1234567.891",
        "0.0000000000000000000001", "99999999999999.9", "NA", "na", "N/A", "nan", "NaN", "null", "NULL", "None", "#N/A", "?", "",
        " ", "Infinity", "-inf", "inf", "+Infinity", "1e999", "-1e999", "abc", "x y", " padded ", "\tt", "café", "Ärger",
        "a", "b", "TRUE", "-", "+", ".", "1.2.3", "0x10", "4f", "3d", "1_000", "e5", "1e", "--1", "1 2", "\u00a0nb"};
    private static final String[] UTF8_ONLY = {"\u2003em", "日本", "x\u3000"};
    private static final String[] QUOTED = {"\"q\"", "\"a,b\"", "x\"y", "back\\slash", "\"\"", "\" \"", "\"a;b|c\td\"",
        " \"x\"", "\"x\" ", "\"1.5\"", "\"NA\"", "\"a\"\"b\"", "\"unclosed"};

    @Test
    void generatedTablesReadTheSameBothWays() throws IOException {
        Random r = new Random(21);
        int fast = 0;
        for (int t = 0; t < 300; t++) {
            String sep = new String[]{",", ";", "\t", "|", ","}[r.nextInt(5)];
            Charset cs = r.nextInt(5) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
            int cols = 1 + r.nextInt(5);
            int rows = 1 + r.nextInt(30);
            String eol = r.nextBoolean() ? "\n" : "\r\n";
            boolean header = r.nextInt(6) != 0;
            // a column draws from a few kinds of values: whole numbers, decimals, a few words, anything
            int[] kind = new int[cols];
            for (int j = 0; j < cols; j++) {
                kind[j] = r.nextInt(4);
            }
            StringBuilder b = new StringBuilder();
            if (cs == StandardCharsets.UTF_8 && r.nextInt(8) == 0) {
                b.append('\uFEFF');
            }
            int trailing = r.nextInt(6) == 0 ? 1 + r.nextInt(3) : 0;
            List<String> names = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                names.add("c" + j);
            }
            if (header) {
                b.append(String.join(sep, names)).append(sep.repeat(trailing)).append(eol);
            }
            for (int i = 0; i < rows; i++) {
                if (r.nextInt(15) == 0) {
                    b.append(r.nextBoolean() ? "" : "  ").append(eol); // a blank line
                }
                List<String> v = new ArrayList<>();
                for (int j = 0; j < cols; j++) {
                    v.add(value(r, kind[j], cs));
                }
                b.append(String.join(sep, v));
                if (trailing > 0 && r.nextBoolean()) {
                    b.append(sep.repeat(r.nextInt(trailing + 1)));
                }
                if (i < rows - 1 || r.nextBoolean()) {
                    b.append(eol);
                }
            }
            CsvTable.Format format = CsvTable.Format.csv().charset(cs);
            if (r.nextBoolean()) {
                format = format.separator(sep);
            }
            if (!header) {
                format = format.noHeader(r.nextBoolean() ? names : null);
            }
            if (r.nextInt(5) == 0) {
                format = format.types(Map.of("c0", CsvTable.Type.values()[r.nextInt(3)]));
            }
            Path f = write("g" + t + ".csv", b.toString(), cs);
            if (same(f, format)) {
                fast++;
            }
        }
        assertTrue(fast > 100, "the fast path read " + fast + " of 300");
    }

    private static String value(Random r, int kind, Charset cs) {
        int p = r.nextInt(100);
        if (p < 8) {
            return new String[]{"", "NA", " ", "nan", "?"}[r.nextInt(5)];
        }
        if (p < 10) {
            return VALUES[r.nextInt(VALUES.length)];
        }
        if (p < 11 && cs == StandardCharsets.UTF_8) {
            return UTF8_ONLY[r.nextInt(UTF8_ONLY.length)];
        }
        if (p < 14 && r.nextInt(3) == 0) {
            return QUOTED[r.nextInt(QUOTED.length)];
        }
        String pad = r.nextInt(10) == 0 ? " " : "";
        return pad + switch (kind) {
            case 0 -> Integer.toString(r.nextInt(2001) - 1000);
            case 1 -> r.nextInt(3) == 0 ? Double.toString(r.nextGaussian() * 1e3) : String.format(Locale.ROOT, "%.2f", r.nextDouble());
            case 2 -> new String[]{"a", "b", "c", "Ärger", "x y"}[r.nextInt(5)];
            default -> VALUES[r.nextInt(VALUES.length)];
        } + pad;
    }

    @Test
    void movieLensAndRossmannFilesReadTheSame() {
        String data = System.getenv(Datasets.DATA_ENV);
        Assumptions.assumeTrue(data != null && !data.isBlank(), "no " + Datasets.DATA_ENV);
        Path d = Path.of(data);
        List<String> cols = List.of("user", "item", "rating", "time");
        for (Object[] c : new Object[][]{
            {d.resolve("ml-100k/u.data"), CsvTable.Format.csv().separator("\t").noHeader(cols)},
            {d.resolve("ml-100k/u.user"), CsvTable.Format.csv().separator("|").noHeader(null)},
            {d.resolve("ml-100k/u.item"), CsvTable.Format.csv().separator("|").noHeader(null).charset(StandardCharsets.ISO_8859_1)},
            {d.resolve("rossmann/store_states.csv"), CsvTable.Format.csv()}}) {
            Path f = (Path) c[0];
            if (Files.isRegularFile(f)) {
                assertTrue(same(f, (CsvTable.Format) c[1]), f.toString());
            }
        }
    }
}

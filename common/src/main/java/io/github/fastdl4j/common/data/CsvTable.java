package io.github.fastdl4j.common.data;

import org.apache.commons.io.input.ReaderInputStream;
import org.datavec.api.records.reader.RecordReader;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.records.reader.impl.regex.RegexLineRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.split.InputStreamInputSplit;
import org.datavec.api.transform.schema.Schema;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A delimited text file read into typed columns by {@link CsvBytes} or, where it cannot read a line exactly, by DataVec: DataVec's
 * {@link CSVRecordReader} (quoted fields, any one-character separator) or, for MovieLens' {@code ::}
 * files, its {@link RegexLineRecordReader}; then a DataVec {@link Schema} whose column types are
 * inferred from the values (whole numbers, numbers, text) unless declared.
 *
 * <p>Files as they come in the wild: a header or none, spaces around values, CRLF line ends, a
 * byte-order mark, {@code ""}, {@code ?}, {@code NA}, {@code NaN}, {@code null} for missing values,
 * UTF-8 or another declared encoding (invalid bytes are one error naming line and byte offset, never
 * silently replaced), the separator guessed from the first line when not given. Every problem is a
 * {@link BadInputException} naming the file, the line and the column. A quoted field that spans lines
 * is not read (DataVec reads line by line) and says so.
 *
 * <p>Most files never reach DataVec's readers: {@link CsvBytes} reads their lines from the bytes
 * straight into the columns (a million-row table several times faster, without an object per
 * field) and hands any line it cannot read exactly as they would (quotes inside a field, escapes,
 * a problem to report) back to them, which then read the whole file as they always did.
 */
public final class CsvTable {

    /** Values that mean "missing", compared ignoring case. */
    public static final Set<String> MISSING = Set.of("", "?", "na", "n/a", "nan", "null", "none", "#n/a");

    /** A column's type. */
    public enum Type { INTEGER, DOUBLE, TEXT }

    /**
     * How to read a file.
     *
     * @param separator the separator ({@code ,} {@code \t} {@code ;} {@code |} or {@code ::}); null to guess it from the first line
     * @param header    whether the first line names the columns (else they are called column1, column2, ...)
     * @param charset   the file's encoding
     * @param types     declared types of columns by name (others are inferred)
     * @param names     column names for a file without a header (null: column1, column2, ...)
     */
    public record Format(String separator, boolean header, Charset charset, Map<String, Type> types, List<String> names) {

        /** A CSV file with a header, in UTF-8, separator guessed. */
        public static Format csv() {
            return new Format(null, true, StandardCharsets.UTF_8, Map.of(), null);
        }

        public Format separator(String sep) {
            return new Format(sep, header, charset, types, names);
        }

        public Format noHeader(List<String> columnNames) {
            return new Format(separator, false, charset, types, columnNames);
        }

        public Format charset(Charset cs) {
            return new Format(separator, header, cs, types, names);
        }

        public Format types(Map<String, Type> declared) {
            return new Format(separator, header, charset, declared, names);
        }
    }

    private final Path file;
    private final List<String> names;
    private final List<CsvColumn> columns;
    private final long[] lines;
    private final boolean fromBytes;

    // package-private: ParquetTable builds tables of the columns it reads
    CsvTable(Path file, List<String> names, List<CsvColumn> columns, long[] lines) {
        this(file, names, columns, lines, false);
    }

    private CsvTable(Path file, List<String> names, List<CsvColumn> columns, long[] lines, boolean fromBytes) {
        this.file = file;
        this.names = names;
        this.columns = columns;
        this.lines = lines;
        this.fromBytes = fromBytes;
    }

    /** Whether {@link CsvBytes} read the file (else DataVec's readers, or Parquet's, did). */
    boolean fromBytes() {
        return fromBytes;
    }

    /**
     * A number as data files write them ({@code 4}, {@code -0.5}, {@code 1e-3}), or NaN for anything
     * else: Java's own syntax ({@code 4f}, {@code 3d}, {@code 0x1p2}, {@code Infinity}) is not a number here.
     */
    public static double parseNumber(String v) {
        return CsvNumbers.parseNumber(v);
    }

    /**
     * Reads {@code file} in {@code format}; a Parquet file (or a folder of parts) is read by {@link
     * ParquetTable}, its declared types applied and the rest of the format (text) unused.
     */
    public static CsvTable read(Path file, Format format) {
        if (ParquetTable.isParquet(file)) {
            return ParquetTable.readTable(file, format.types());
        }
        return read(file, format, true);
    }

    /**
     * Reads the text file {@code file} in {@code format}: through {@link CsvBytes} when {@code fast}
     * and it can read every line, else (and for {@code ::}) through DataVec's record readers.
     */
    static CsvTable read(Path file, Format format, boolean fast) {
        if (!Files.isRegularFile(file)) {
            throw BadInputException.notAFile(file, "file");
        }
        BadInputException bad = TextFiles.invalidBytes(file, format.charset());
        if (bad != null) {
            throw bad;
        }
        String first = CsvSniffer.firstLine(file, format.charset());
        return read(file, format, first, sep -> reader(file, format, sep, first), fast);
    }

    /**
     * Reads {@code text} held in memory (a request's body) as if it were the file {@code name}: the
     * same reader, the same types and the same messages (naming {@code name}), without writing a
     * temporary file. The text is already decoded, so the format's charset is not used; a leading
     * byte-order mark is skipped.
     */
    public static CsvTable read(Path name, String text, Format format) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String first = CsvSniffer.firstLine(body);
        return read(name, format, first, sep -> reader(format, sep, first, body), false);
    }

    /** Opens DataVec's reader once the separator is known. */
    private interface Opener {
        RecordReader open(String separator) throws IOException;
    }

    /** {@code fast}: {@code file} is a file on disk that {@link CsvBytes} may read first. */
    private static CsvTable read(Path file, Format format, String first, Opener opener, boolean fast) {
        if (first == null) {
            throw BadInputException.inFile(file, "the file is empty");
        }
        String sep = format.separator() != null ? format.separator() : CsvSniffer.guessSeparator(first);
        if (sep.length() != 1 && !sep.equals("::")) {
            throw BadInputException.inFile(file, "separator '" + sep + "': one character or :: is read");
        }
        CsvHeader head = format.header() ? CsvHeader.split(file, first, sep) : null;
        List<String> header = head != null ? head.names() : null;
        if (fast && sep.length() == 1) {
            CsvBytes.Read r = CsvBytes.read(file, format, sep.charAt(0), quoteOf(sep), header,
                    head != null ? head.unnamed() : Set.of(), format.names());
            if (r != null) {
                return finish(file, head, r.columns(), r.lines(), true);
            }
        }
        try (RecordReader rr = opener.open(sep)) {
            List<CsvColumn> cols = null;
            long[] lines = new long[1024];
            int rows = 0;
            long line = format.header() ? 1 : 0;
            while (rr.hasNext()) {
                List<Writable> rec;
                try {
                    rec = rr.next();
                } catch (RuntimeException e) {
                    throw readError(file, line + 1, e);
                }
                line++;
                if (rec.size() == 1 && rec.get(0).toString().isBlank()) {
                    continue; // a blank line
                }
                if (cols == null) {
                    List<String> names = header != null ? header : format.names() != null ? format.names()
                            : numbered(rec.size());
                    cols = new ArrayList<>();
                    for (String n : names) {
                        cols.add(new CsvColumn(n, format.types().get(n)));
                    }
                }
                if (rec.size() < cols.size() && head != null && CsvHeader.unnamedFrom(head.unnamed(), rec.size(), cols.size())) {
                    // the header ends with separators the line lacks: those unnamed columns are empty here
                    List<Writable> padded = new ArrayList<>(rec);
                    while (padded.size() < cols.size()) {
                        padded.add(new Text(""));
                    }
                    rec = padded;
                }
                if (rec.size() != cols.size()) {
                    throw BadInputException.at(file, line, "line", "expected " + cols.size() + " fields" + (header != null
                            ? " as in the header" : format.names() != null ? " (" + BadInputException.listed(format.names(), 20) + ")" : "")
                            + ", found " + rec.size());
                }
                for (int j = 0; j < rec.size(); j++) {
                    cols.get(j).add(rec.get(j).toString(), file, line);
                }
                if (rows == lines.length) {
                    lines = Arrays.copyOf(lines, rows * 2);
                }
                lines[rows++] = line;
            }
            if (cols == null) {
                throw BadInputException.inFile(file, "no rows" + (header != null ? " after the header" : ""));
            }
            return finish(file, head, cols, Arrays.copyOf(lines, rows), false);
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read (" + BadInputException.reason(e) + ")");
        }
    }

    private static CsvTable finish(Path file, CsvHeader head, List<CsvColumn> cols, long[] lines, boolean fromBytes) {
        if (head != null) {
            cols = CsvHeader.dropEmptyUnnamed(file, head.unnamed(), cols);
        }
        List<String> names = cols.stream().map(c -> c.name).toList();
        return new CsvTable(file, names, cols, lines, fromBytes);
    }

    /** The quote character of DataVec's reader for a separator: none for MovieLens' | and tab files. */
    private static char quoteOf(String sep) {
        return sep.equals("|") || sep.equals("\t") ? '\u0000' : '"';
    }

    private static BadInputException readError(Path file, long line, RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Un-terminated quoted field")) {
            return BadInputException.at(file, line, "line", "a quoted field is not closed on its line (DataVec's CSV reader does "
                    + "not read fields spanning lines)");
        }
        if (m.contains("does not match")) {
            return BadInputException.at(file, line, "line", "not in the :: separated layout");
        }
        return BadInputException.at(file, line, "line", "unreadable: " + m);
    }

    /** DataVec's reader for the file: the CSV reader, or a regex over each line for {@code ::}. */
    private static RecordReader reader(Path file, Format format, String sep, String first) throws IOException {
        RecordReader rr = unopened(format, sep, first);
        try {
            if (format.charset().equals(StandardCharsets.UTF_8) && !CsvSniffer.startsWithBom(file)) {
                rr.initialize(new FileSplit(file.toFile()));
            } else {
                // DataVec decodes lines as UTF-8: hand it the text re-encoded, without a byte-order mark
                InputStream in = ReaderInputStream.builder()
                        .setReader(TextFiles.reader(file, format.charset())).setCharset(StandardCharsets.UTF_8).get();
                rr.initialize(new InputStreamInputSplit(in));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return rr;
    }

    /** DataVec's reader for text in memory (without a byte-order mark), handed to it as UTF-8 as a file's text is. */
    private static RecordReader reader(Format format, String sep, String first, String text) throws IOException {
        RecordReader rr = unopened(format, sep, first);
        try {
            rr.initialize(new InputStreamInputSplit(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return rr;
    }

    /** The CSV reader, or a regex over each line for {@code ::} (its fields counted on the first line). */
    private static RecordReader unopened(Format format, String sep, String first) {
        int skip = format.header() ? 1 : 0;
        if (sep.equals("::")) {
            int fields = first.split("::", -1).length;
            String regex = String.join("::", Collections.nCopies(fields, "(.*?)"));
            return new RegexLineRecordReader("^" + regex.substring(0, regex.length() - 5) + "(.*)$", skip);
        }
        // MovieLens' own files use no quotes at all: a quote character they never contain
        return new CSVRecordReader(skip, sep.charAt(0), quoteOf(sep));
    }

    /** pandas' name for a column the header leaves empty: {@code Unnamed: 4} for the fifth. */
    public static final String UNNAMED = "Unnamed: ";

    private static List<String> numbered(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("column" + i);
        }
        return out;
    }

    public Path file() {
        return file;
    }

    public int rows() {
        return lines.length;
    }

    public List<String> names() {
        return names;
    }

    public boolean has(String column) {
        return names.contains(column);
    }

    /** The line of the file (1-based) that row {@code row} came from. */
    public long line(int row) {
        return lines[row];
    }

    private CsvColumn col(String column) {
        int j = names.indexOf(column);
        if (j < 0) {
            throw BadInputException.at(file, 1, column, "no such column; the file has " + BadInputException.listed(names, 20));
        }
        return columns.get(j);
    }

    public Type type(String column) {
        return col(column).finalType();
    }

    /** A numeric column's values, NaN where missing. */
    public double[] numbers(String column) {
        CsvColumn c = col(column);
        if (c.numbers == null) {
            String example = Arrays.stream(c.texts, 0, c.n).filter(Objects::nonNull).findFirst().orElse("");
            int row = 0;
            while (row < c.n && (c.texts[row] == null || !CsvNumbers.isNotNumber(c.texts[row]))) {
                row++;
            }
            throw BadInputException.at(file, row < c.n ? lines[row] : 1, column, "expected numbers, got '"
                    + (row < c.n ? c.texts[row] : example) + "'");
        }
        return Arrays.copyOf(c.numbers, c.n);
    }

    /** Any column's values as text (numbers as written without a needless fraction), null where missing. */
    public String[] texts(String column) {
        CsvColumn c = col(column);
        if (c.texts != null) {
            return Arrays.copyOf(c.texts, c.n);
        }
        String[] out = new String[c.n];
        for (int i = 0; i < c.n; i++) {
            out[i] = Double.isNaN(c.numbers[i]) ? null : keyOf(c.numbers[i]);
        }
        return out;
    }

    /** How many values of a column are missing. */
    public int missing(String column) {
        CsvColumn c = col(column);
        int m = 0;
        for (int i = 0; i < c.n; i++) {
            m += c.texts != null ? (c.texts[i] == null ? 1 : 0) : (Double.isNaN(c.numbers[i]) ? 1 : 0);
        }
        return m;
    }

    /** A value of a column of numbers that no double holds ({@code Infinity}, {@code 1e999}): read as missing. */
    public record Cell(int row, long line, String value) {
    }

    /**
     * The values of a column of numbers that were infinities or beyond the double range, in row
     * order: they read as missing (NaN, counted by {@link #missing}); a column of text has none.
     */
    public List<Cell> nonFinite(String column) {
        CsvColumn c = col(column);
        List<Cell> out = new ArrayList<>();
        c.nonFinite.forEach((row, v) -> out.add(new Cell(row, lines[row], v)));
        return out;
    }

    /** The DataVec schema of the table: integer, double or string columns, as read. */
    public Schema schema() {
        Schema.Builder b = new Schema.Builder();
        for (CsvColumn c : columns) {
            switch (c.finalType()) {
                case INTEGER -> b.addColumnLong(c.name);
                case DOUBLE -> b.addColumnDouble(c.name);
                default -> b.addColumnString(c.name);
            }
        }
        return b.build();
    }

    /** A number as a category key: whole values without a fraction ("2015", not "2015.0"); null for NaN. */
    public static String keyOf(double v) {
        return CsvNumbers.keyOf(v);
    }

    /** The types by column, for messages and reports. */
    public Map<String, Type> types() {
        Map<String, Type> m = new LinkedHashMap<>();
        columns.forEach(c -> m.put(c.name, c.finalType()));
        return m;
    }
}

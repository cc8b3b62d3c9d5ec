package io.github.fastdl4j.common.data;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Parquet file, or a folder of part files as Spark and pandas write them, read into primitive
 * columns: whole numbers as {@code int[]} or {@code long[]}, decimals as {@code float[]} or {@code
 * double[]}, text as {@code String[]} (one String per distinct value while there are few), dates
 * as days and timestamps as seconds since 1970 (UTC), booleans as 0/1; missing values (nulls) in a
 * bit set. Only the columns asked for are decoded.
 *
 * <p>Read through parquet-java (Apache's reference implementation, the one Spark uses), from a
 * local file without a Hadoop file system; docs/collab.md says why it and not DuckDB. A file that
 * is not Parquet, is cut short or damaged, lacks a column or holds a type not read here is one
 * {@link BadInputException} naming the file (and the column, and the 1-based row of a null where one
 * is refused).
 */
public final class ParquetTable {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    /** How a column's values are held. */
    public enum Kind { INT, LONG, FLOAT, DOUBLE, BOOLEAN, TEXT, DATE, TIMESTAMP }

    /**
     * One column: the array of its kind holds the values ({@code ints} for INT, BOOLEAN (0/1) and
     * DATE (days since 1970-01-01), {@code longs} for LONG and TIMESTAMP (seconds since 1970,
     * UTC), {@code floats}, {@code doubles}, {@code texts}); the others are null.
     *
     * @param type  the Parquet type as its schema writes it, for messages
     * @param nulls the rows without a value (their slot holds 0, or null for text)
     */
    public record Column(String name, Kind kind, String type, int[] ints, long[] longs, float[] floats, double[] doubles,
                         String[] texts, BitSet nulls) {

        public boolean isNull(int row) {
            return nulls.get(row);
        }

        /** Whether the values are numbers a model reads as such (not text, booleans or dates). */
        public boolean numeric() {
            return kind == Kind.INT || kind == Kind.LONG || kind == Kind.FLOAT || kind == Kind.DOUBLE;
        }

        /** The value of a numeric, boolean, date or timestamp column as a double; NaN for a null. */
        public double number(int row) {
            if (nulls.get(row)) {
                return Double.NaN;
            }
            return switch (kind) {
                case INT, BOOLEAN, DATE -> ints[row];
                case LONG, TIMESTAMP -> longs[row];
                case FLOAT -> floats[row];
                case DOUBLE -> doubles[row];
                case TEXT -> throw new IllegalStateException(name + " holds text");
            };
        }

        /**
         * The value as text, null for a null: numbers as a CSV writes them (whole ones without a
         * fraction), booleans {@code true}/{@code false}, dates and timestamps as their UTC day
         * {@code 2015-07-31} (what a date column of a CSV holds).
         */
        public String text(int row) {
            if (nulls.get(row)) {
                return null;
            }
            return switch (kind) {
                case TEXT -> texts[row];
                case BOOLEAN -> ints[row] != 0 ? "true" : "false";
                case DATE -> LocalDate.ofEpochDay(ints[row]).toString();
                case TIMESTAMP -> LocalDate.ofEpochDay(Math.floorDiv(longs[row], 86_400L)).toString();
                case INT -> Integer.toString(ints[row]);
                case LONG -> Long.toString(longs[row]);
                default -> CsvNumbers.keyOf(number(row));
            };
        }
    }

    private final Path file;
    private final int rows;
    private final Map<String, Column> columns;
    private final Map<String, String> unreadable;
    private final List<String> names;
    private final List<Path> files;

    private ParquetTable(Path file, List<Path> files, int rows, Map<String, Column> columns, Map<String, String> unreadable,
                         List<String> names) {
        this.file = file;
        this.files = files;
        this.rows = rows;
        this.columns = columns;
        this.unreadable = unreadable;
        this.names = names;
    }

    /**
     * Whether {@code path} is Parquet to read with this class: a file named {@code *.parquet}, a
     * file that begins with Parquet's magic bytes, or a folder holding {@code *.parquet} parts.
     */
    public static boolean isParquet(Path path) {
        if (path == null) {
            return false;
        }
        if (Files.isDirectory(path)) {
            return !parts(path).isEmpty();
        }
        if (path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return true;
        }
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            return Arrays.equals(in.readNBytes(4), MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@code *.parquet} files of a folder, by name (Spark's {@code part-00000-...}); its {@code _SUCCESS} and {@code .crc} files are not data. */
    private static List<Path> parts(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return Files.isRegularFile(p) && !n.startsWith(".") && !n.startsWith("_")
                        && n.toLowerCase(Locale.ROOT).endsWith(".parquet");
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The top-level column names of {@code path} (its first part, for a folder), from the footer alone. */
    public static List<String> names(Path path) {
        List<Path> files = files(path);
        checkMagic(files.get(0));
        try (ParquetFileReader r = open(files.get(0))) {
            return r.getFooter().getFileMetaData().getSchema().getFields().stream().map(Type::getName).toList();
        } catch (IOException | RuntimeException e) {
            throw damaged(files.get(0), e);
        }
    }

    private static List<Path> files(Path path) {
        if (Files.isDirectory(path)) {
            List<Path> files = parts(path);
            if (files.isEmpty()) {
                throw BadInputException.inFile(path, "a folder without *.parquet files");
            }
            return files;
        }
        if (!Files.isRegularFile(path)) {
            throw BadInputException.notAFile(path, "Parquet file");
        }
        return List.of(path);
    }

    /**
     * Reads {@code wanted} columns of {@code path} (a file, or a folder of part files), or every
     * column whose type is read when {@code wanted} is null (the others are listed by {@link
     * #unreadable()}).
     */
    public static ParquetTable read(Path path, Collection<String> wanted) {
        List<Path> files = files(path);
        for (Path f : files) {
            checkMagic(f);
        }
        List<ParquetFileReader> readers = new ArrayList<>();
        try {
            long total = 0;
            MessageType first = null;
            for (Path f : files) {
                ParquetFileReader r = open(f);
                readers.add(r);
                total += r.getRecordCount();
                MessageType s = r.getFooter().getFileMetaData().getSchema();
                if (first == null) {
                    first = s;
                } else if (!sameColumns(first, s, wanted)) {
                    throw BadInputException.inFile(f, "its columns differ from those of " + files.get(0).getFileName()
                            + " (" + first.getFields().stream().map(Type::getName).toList() + "): the parts of a table share one schema");
                }
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw BadInputException.inFile(path, String.format(Locale.ROOT, "%,d rows: at most %,d are read", total,
                        Integer.MAX_VALUE - 8));
            }
            int n = (int) total;
            Map<String, String> unreadable = new LinkedHashMap<>();
            Map<String, PrimitiveType> chosen = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (Type t : first.getFields()) {
                names.add(t.getName());
                String why = ParquetColumns.unreadable(t);
                if (wanted == null && t.getName().startsWith("__index_level_")) {
                    why = "pandas' index (its row labels, not data)"; // a DataFrame written with a non-default index
                }
                if (why != null) {
                    unreadable.put(t.getName(), why);
                } else if (wanted == null || wanted.contains(t.getName())) {
                    chosen.put(t.getName(), t.asPrimitiveType());
                }
            }
            if (wanted != null) {
                for (String w : wanted) {
                    if (!names.contains(w)) {
                        throw BadInputException.inFile(path, "column '" + w + "': no such column; the file has "
                                + BadInputException.listed(names, 20));
                    }
                    if (unreadable.containsKey(w)) {
                        throw BadInputException.inFile(path, "column '" + w + "': " + unreadable.get(w) + " is not read here "
                                + "(whole numbers, decimals, text, booleans, dates and timestamps are)");
                    }
                }
            }
            Map<String, ParquetColumns.Builder> builders = new LinkedHashMap<>();
            chosen.forEach((name, type) -> builders.put(name, new ParquetColumns.Builder(name, type, n)));
            int[] starts = new int[files.size()];
            for (int k = 1; k < files.size(); k++) {
                starts[k] = starts[k - 1] + (int) readers.get(k - 1).getRecordCount();
            }
            // one column after another on this thread: decoding columns on threads of their own measured no faster on
            // the loaded 2-core machine this was written on, so the simple way stays
            for (int k = 0; k < files.size(); k++) {
                ParquetColumns.readFile(files.get(k), readers.get(k), new ArrayList<>(builders.values()), starts[k]);
            }
            Map<String, Column> cols = new LinkedHashMap<>();
            builders.forEach((name, b) -> cols.put(name, b.build()));
            return new ParquetTable(path, files, n, cols, unreadable, names);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException d) {
                throw d;
            }
            throw damaged(files.size() == 1 ? files.get(0) : path, e);
        } finally {
            for (ParquetFileReader r : readers) {
                try {
                    r.close();
                } catch (IOException | RuntimeException ignored) {
                    // read already, or already failing with a better message
                }
            }
        }
    }

    /** A Parquet file begins and ends with PAR1; anything else is not one, or is cut short. */
    private static void checkMagic(Path f) {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long len = raf.length();
            byte[] head = new byte[4];
            byte[] tail = new byte[4];
            if (len >= 4) {
                raf.readFully(head);
            }
            if (!Arrays.equals(head, MAGIC)) {
                throw BadInputException.inFile(f, len == 0 ? "the file is empty; a Parquet file is needed"
                        : "not a Parquet file (it does not begin with PAR1)");
            }
            if (len >= 12) {
                raf.seek(len - 4);
                raf.readFully(tail);
            }
            if (!Arrays.equals(tail, MAGIC)) {
                throw BadInputException.inFile(f, "a Parquet file cut short (it does not end with PAR1: a copy or write that did not finish?)");
            }
        } catch (IOException e) {
            throw BadInputException.inFile(f, "cannot read: " + BadInputException.reason(e));
        }
    }

    private static ParquetFileReader open(Path f) throws IOException {
        return ParquetFileReader.open(new LocalInputFile(f), ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
    }

    private static BadInputException damaged(Path f, Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof IOException io) {
            m = BadInputException.reason(io);
        }
        return BadInputException.inFile(f, "a damaged Parquet file, or one this reader cannot decode (" + m + ")");
    }

    private static boolean sameColumns(MessageType a, MessageType b, Collection<String> wanted) {
        for (Type t : a.getFields()) {
            if (wanted != null && !wanted.contains(t.getName())) {
                continue;
            }
            if (!b.containsField(t.getName()) || !b.getType(t.getName()).equals(t)) {
                return false;
            }
        }
        return wanted != null || a.getFieldCount() == b.getFieldCount();
    }

    /**
     * Every column of {@code path} read as a {@link CsvTable} ({@link #toCsvTable}); columns of a
     * type not read (lists, structs) are left out with a note on stdout, as a CSV's empty unnamed
     * columns are.
     */
    static CsvTable readTable(Path path, Map<String, CsvTable.Type> declared) {
        ParquetTable t = read(path, null);
        for (String d : declared.keySet()) {
            if (t.unreadable.containsKey(d)) {
                throw BadInputException.inFile(path, "column '" + d + "': " + t.unreadable.get(d) + " is not read here "
                        + "(whole numbers, decimals, text, booleans, dates and timestamps are)");
            }
        }
        if (!t.unreadable.isEmpty() && !t.columns.isEmpty()) {
            List<String> said = new ArrayList<>();
            t.unreadable.forEach((name, why) -> said.add(name + ": " + why));
            System.out.println("note: " + path + ": left out " + said.size() + " column" + (said.size() == 1 ? "" : "s")
                    + " of a type not read here (" + BadInputException.listed(said, 20) + ")");
        }
        return t.toCsvTable(declared);
    }

    /**
     * This table as a {@link CsvTable}, the shape tabular reads tables in: INT and LONG columns
     * are INTEGER, FLOAT and DOUBLE ones DOUBLE (continuous in fastai's {@code cont_cat_split}
     * whatever their values, as a float dtype is in pandas), text, booleans, dates and timestamps
     * TEXT (categorical; dates as {@code 2015-07-31}, which a date column of a CSV holds); a
     * column declared TEXT is read as text, and one declared a number must hold numbers. Nulls
     * and NaN are missing; an infinity is missing too and named by {@link CsvTable#nonFinite}, as
     * in a CSV. Row {@code i} is "line" {@code i + 1} of messages (a Parquet file has rows, not lines).
     */
    public CsvTable toCsvTable(Map<String, CsvTable.Type> declared) {
        List<CsvColumn> cols = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Column c : columns.values()) {
            CsvTable.Type want = declared.get(c.name());
            CsvColumn out = new CsvColumn(c.name(), want);
            boolean asText = !c.numeric() || want == CsvTable.Type.TEXT;
            if (!c.numeric() && (want == CsvTable.Type.INTEGER || want == CsvTable.Type.DOUBLE)) {
                throw BadInputException.inFile(file, "column '" + c.name() + "': expected numbers, found " + c.type());
            }
            if (asText) {
                String[] t = new String[rows];
                for (int i = 0; i < rows; i++) {
                    t[i] = out.intern(c.text(i));
                }
                out.texts = t;
                out.numbers = null;
                out.type = CsvTable.Type.TEXT;
            } else {
                double[] v = new double[rows];
                for (int i = 0; i < rows; i++) {
                    double d = c.number(i);
                    if (Double.isInfinite(d)) {
                        out.nonFinite.put(i, d > 0 ? "inf" : "-inf");
                        d = Double.NaN;
                    }
                    v[i] = d;
                }
                out.numbers = v;
                out.type = c.kind() == Kind.INT || c.kind() == Kind.LONG ? CsvTable.Type.INTEGER : CsvTable.Type.DOUBLE;
            }
            out.n = rows;
            cols.add(out);
            kept.add(c.name());
        }
        if (cols.isEmpty()) {
            throw BadInputException.inFile(file, "no column of a type read here (whole numbers, decimals, text, booleans, dates, "
                    + "timestamps); the file has " + BadInputException.listed(unreadable.keySet(), 20));
        }
        long[] lines = new long[rows];
        for (int i = 0; i < rows; i++) {
            lines[i] = i + 1L;
        }
        return new CsvTable(file, List.copyOf(kept), cols, lines);
    }

    public Path file() {
        return file;
    }

    public int rows() {
        return rows;
    }

    /** The files read: the file, or the parts of a folder in name order. */
    public List<Path> files() {
        return files;
    }

    /** Every top-level column of the file, in its order (read or not). */
    public List<String> names() {
        return names;
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    /** A column read; one line naming the file and the column when it was not. */
    public Column column(String name) {
        Column c = columns.get(name);
        if (c == null) {
            throw BadInputException.inFile(file, "column '" + name + "': no such column; the file has " + BadInputException.listed(names, 20));
        }
        return c;
    }

    /** The columns read, in the file's order. */
    public List<Column> columns() {
        return List.copyOf(columns.values());
    }

    /** Columns not read (lists, structs, maps, types such as FLOAT16), with why. */
    public Map<String, String> unreadable() {
        return unreadable;
    }
}

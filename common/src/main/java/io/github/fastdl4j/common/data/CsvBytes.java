package io.github.fastdl4j.common.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@link CsvTable}'s fast path: one pass over the file's bytes straight into the table's columns
 * ({@link CsvColumn#addBytes}): whole numbers and short decimals parse from the bytes, a text
 * value already seen is found by its bytes, so most fields make no String or other object. Fields
 * quoted whole ({@code "HB,NI"}) are read too.
 *
 * <p>It only <em>accepts</em>, as collab's {@code RatingsStream} does: a line it cannot read exactly
 * as DataVec's {@code CSVRecordReader} would (a quote inside a field, {@code ""}, a backslash, a NUL
 * byte, a lone carriage return, a blank first line) or any problem (a wrong number of fields, a value
 * that is not of a declared type, no rows) makes {@link #read} return null, and {@link CsvTable}
 * reads the file the DataVec way, which either reads it or stops at the first problem with the
 * one-line {@code file:line: field: ...} error it always gave. Both paths give equal tables
 * (CsvBytesTest compares them on generated and real files).
 *
 * <p>Why bytes by hand rather than Jackson's CSV module (jackson-dataformat-csv 2.17.2, the
 * Jackson on the classpath): on the 1M-row shop-sales {@code train.csv}, three rounds in one
 * sitting on a loaded machine, this path read the typed table in 1.32, 0.76 and 0.56 s, Jackson's
 * streaming {@code CsvParser} only handing over the fields (numbers parsed, text interned) 3.07,
 * 2.86 and 1.76 s, DataVec's reader 5.93, 6.88 and 3.83 s. Jackson decodes to chars and hands
 * every field over as a String, the very cost avoided here, and its quoting rules are not
 * DataVec's, which CsvTable's results and messages are written against.
 */
final class CsvBytes {

    private static final int CHUNK = 1 << 20;

    /** What a pass read: the columns (before unnamed empty ones are dropped) and each row's line. */
    record Read(List<CsvColumn> columns, long[] lines) {
    }

    /** Encodings in which the bytes below 0x80 are ASCII and every field can be decoded on its own. */
    static boolean readable(Charset cs) {
        return cs.equals(StandardCharsets.UTF_8) || cs.equals(StandardCharsets.US_ASCII) || cs.equals(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads the rows of {@code file} (after its header line when {@code header} is given) into
     * columns, or returns null when a line needs DataVec's reader.
     *
     * @param sep      the one-character separator
     * @param quote    the quote character DataVec's reader uses ({@code \0}: none)
     * @param header   the header's names (pandas' for unnamed ones) and the unnamed ones, or null for no header line
     * @param names    the column names of a file without a header, or null (column1, column2, ...)
     */
    static Read read(Path file, CsvTable.Format format, char sep, char quote, List<String> header, Set<Integer> unnamed,
                     List<String> names) {
        if (!readable(format.charset()) || sep >= 0x80 || sep == '\r' || sep == '\n' || sep == '\\') {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new CsvBytes(file, format, (byte) sep, (byte) quote, header, unnamed, names).run(in);
        } catch (BadInputException | IOException e) {
            return null; // DataVec's reader says it, as it always did
        }
    }

    private final Path file;
    private final CsvTable.Format format;
    private final byte sep;
    private final byte quote;
    private final List<String> header;
    private final Set<Integer> unnamed;
    private final List<String> names;
    private final Charset cs;
    private List<CsvColumn> cols;
    private long[] lines = new long[1024];
    private int rows;
    private int[] starts = new int[64];
    private int[] ends = new int[64];

    private CsvBytes(Path file, CsvTable.Format format, byte sep, byte quote, List<String> header, Set<Integer> unnamed,
                     List<String> names) {
        this.file = file;
        this.format = format;
        this.sep = sep;
        this.quote = quote;
        this.header = header;
        this.unnamed = unnamed;
        this.names = names;
        this.cs = format.charset();
    }

    private Read run(InputStream in) throws IOException {
        byte[] buf = new byte[CHUNK];
        int held = 0;
        boolean eof = false;
        boolean started = false;
        boolean headerRead = header == null;
        long line = 0;
        while (true) {
            while (!eof && held < buf.length) {
                int r = in.read(buf, held, buf.length - held);
                if (r < 0) {
                    eof = true;
                } else {
                    held += r;
                }
            }
            int pos = 0;
            if (!started) {
                started = true;
                if (held >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
                    pos = 3; // the byte-order mark, as TextFiles.reader skips it
                }
            }
            while (pos < held) {
                int end = pos;
                while (end < held && buf[end] != '\n' && buf[end] != '\r') {
                    end++;
                }
                int next;
                if (end == held) {
                    if (!eof) {
                        break; // the rest of the line comes with the next read
                    }
                    next = end;
                } else if (buf[end] == '\n') {
                    next = end + 1;
                } else {
                    if (end + 1 == held && !eof) {
                        break; // \r\n or a lone \r: the next read says
                    }
                    if (end + 1 == held || buf[end + 1] != '\n') {
                        return null; // a lone carriage return: DataVec's line reader decides
                    }
                    next = end + 2;
                }
                line++;
                if (!headerRead) {
                    headerRead = true;
                    if (blank(buf, pos, end)) {
                        return null; // the header is not the first line: DataVec skips lines, blank or not
                    }
                } else if (!row(buf, pos, end, line)) {
                    return null;
                }
                pos = next;
            }
            if (eof) {
                break;
            }
            if (pos == 0) {
                buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
            } else {
                System.arraycopy(buf, pos, buf, 0, held - pos);
                held -= pos;
            }
        }
        if (cols == null) {
            return null; // no rows: DataVec's path says so
        }
        return new Read(cols, Arrays.copyOf(lines, rows));
    }

    /** One line: false if DataVec's reader must read the file. */
    private boolean row(byte[] b, int from, int to, long line) {
        int n = 0;
        int start = from;
        for (int k = from; k < to; k++) {
            byte c = b[k];
            if (c == sep) {
                field(n++, start, k);
                start = k + 1;
            } else if (c == quote && k == start && quote != 0) {
                // a field quoted whole ("HB,NI"): its text, when no quote or escape is inside
                int close = k + 1;
                while (close < to && b[close] != quote) {
                    if (b[close] == '\\' || b[close] == 0) {
                        return false;
                    }
                    close++;
                }
                if (close == to || close == k + 1 || close + 1 < to && b[close + 1] != sep) {
                    // not closed, empty (DataVec's parser reads "" as one quote), text after the closing quote
                    return false;
                }
                field(n++, k + 1, close);
                k = close + 1; // the separator after it, or the line's end
                start = k + 1;
                if (k == to) {
                    return add(b, from, to, line, n); // the line ends with the quoted field
                }
            } else if (c == quote || c == '\\' || c == 0) {
                return false; // quotes inside a field and escapes: DataVec's parser reads them
            }
        }
        field(n++, start, to);
        return add(b, from, to, line, n);
    }

    /** A line split into {@code n} fields: false if DataVec's reader must read the file. */
    private boolean add(byte[] b, int from, int to, long line, int n) {
        if (n == 1 && blank(b, starts[0], ends[0])) {
            return true; // a blank line (or one blank field, which DataVec's reader skips as one)
        }
        if (cols == null) {
            List<String> named = header != null ? header : names != null ? names : numbered(n);
            cols = new ArrayList<>();
            for (String name : named) {
                cols.add(new CsvColumn(name, format.types().get(name)));
            }
        }
        int width = cols.size();
        if (n < width && header != null && unnamedFrom(n, width)) {
            for (int j = n; j < width; j++) {
                field(j, to, to); // the header's trailing separators the line lacks: empty here
            }
            n = width;
        }
        if (n != width) {
            return false; // DataVec's path names the line
        }
        for (int j = 0; j < n; j++) {
            cols.get(j).addBytes(b, starts[j], ends[j], cs, file, line);
        }
        if (rows == lines.length) {
            lines = Arrays.copyOf(lines, rows * 2);
        }
        lines[rows++] = line;
        return true;
    }

    private void field(int j, int s, int e) {
        if (j == starts.length) {
            starts = Arrays.copyOf(starts, j * 2);
            ends = Arrays.copyOf(ends, j * 2);
        }
        starts[j] = s;
        ends[j] = e;
    }

    private boolean unnamedFrom(int from, int to) {
        for (int j = from; j < to; j++) {
            if (!unnamed.contains(j)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes are blank as {@link String#isBlank} says of their text. */
    private boolean blank(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] < 0) {
                return new String(b, from, to - from, cs).isBlank();
            }
            if (!Character.isWhitespace(b[k])) {
                return false;
            }
        }
        return true;
    }

    private static List<String> numbered(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("column" + i);
        }
        return out;
    }
}

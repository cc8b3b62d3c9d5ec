package io.github.fastdl4j.common.data;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a delimited text file ({@link TextFiles#reader}: byte-order mark skipped, invalid bytes
 * reported with their line and offset) row by row with Commons CSV, turning every failure into a
 * {@link DataException} that names the file (and, for a missing column, the header found), and
 * giving each row its 1-based line number so that handlers can name file, line and field.
 */
public final class CsvRows {

    /** Receives one row and its 1-based line number (counting the header line). */
    @FunctionalInterface
    public interface Handler {
        void row(CSVRecord r, long line);
    }

    private CsvRows() {
    }

    /**
     * Reads {@code file}. With {@code header}, the format must read the first line as the header
     * ({@code setHeader().setSkipHeaderRecord(true)}) and every name in {@code required} must be
     * in it. Line numbers assume no field spans lines (true of the data sets read here).
     */
    public static void read(Path file, Charset cs, CSVFormat format, boolean header, List<String> required, Handler h) {
        try (Reader in = TextFiles.reader(file, cs); CSVParser p = parser(file, in, format)) {
            int width = 0;
            if (header) {
                for (String col : required) {
                    if (!p.getHeaderMap().containsKey(col)) {
                        throw DataException.at(file, 1, col, "missing column; the header must name " + required
                                + ", found " + p.getHeaderNames());
                    }
                }
                width = p.getHeaderNames().size();
            }
            for (CSVRecord r : p) {
                long line = header ? r.getRecordNumber() + 1 : r.getRecordNumber();
                if (header && r.size() != width) {
                    // a short row would fail on the first missing field; say what is wrong with the line
                    throw DataException.at(file, line, "line", "expected " + width + " fields as in the header, found " + r.size());
                }
                h.row(r, line);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw DataException.inFile(file, "file not found");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw encodingError(file, cs);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw encodingError(file, cs);
            }
            throw DataException.inFile(file, "malformed CSV: " + e.getCause().getMessage());
        } catch (IOException e) {
            throw DataException.inFile(file, "cannot read: " + e.getMessage());
        }
    }

    private static CSVParser parser(Path file, Reader in, CSVFormat format) throws IOException {
        try {
            return CSVParser.parse(in, format);
        } catch (IllegalArgumentException e) {
            // Commons CSV checks the header as it opens the file: an empty or repeated column name
            throw DataException.at(file, 1, "header", e.getMessage());
        }
    }

    private static DataException encodingError(Path file, Charset cs) {
        DataException located = TextFiles.invalidBytes(file, cs);
        return located != null ? located : DataException.inFile(file, "not valid " + cs.displayName() + " text");
    }
}

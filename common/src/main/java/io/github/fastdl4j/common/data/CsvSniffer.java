package io.github.fastdl4j.common.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What {@link CsvTable} learns from a file before reading it: its first non-blank line, whether it
 * starts with a UTF-8 byte-order mark, and the separator that line suggests when none is given.
 */
final class CsvSniffer {

    private CsvSniffer() {
    }

    static boolean startsWithBom(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(3);
            return b.length == 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
        }
    }

    static String firstLine(Path file, Charset cs) {
        try (BufferedReader r = new BufferedReader(TextFiles.reader(file, cs))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (!l.isBlank()) {
                    return l;
                }
            }
            return null;
        } catch (NoSuchFileException e) {
            throw BadInputException.inFile(file, "file not found");
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read (" + BadInputException.reason(e) + ")");
        }
    }

    /** The first non-blank line of text in memory, or null. */
    static String firstLine(String text) {
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (!l.isBlank()) {
                    return l;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    /** The separator that splits the first line into the most fields: {@code ::}, tab, {@code ;}, {@code |} or comma. */
    static String guessSeparator(String line) {
        String best = ",";
        int most = 1;
        for (String sep : new String[]{"::", "\t", ";", "|", ","}) {
            int n = line.split(Pattern.quote(sep), -1).length;
            if (n > most) {
                most = n;
                best = sep;
            }
        }
        return best;
    }
}

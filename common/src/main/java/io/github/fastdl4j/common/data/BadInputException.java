package io.github.fastdl4j.common.data;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;

/**
 * Bad input from the user: a data file, a model file, a picture or a request body that cannot be
 * read as expected, reported as one clear line that names the file and, where known, the line and
 * field, and says what was expected. Command-line tools print
 * {@link #getMessage()} alone (no stack trace) and exit non-zero.
 */
public class BadInputException extends RuntimeException {

    /** Messages are kept to one printable line of at most this many characters. */
    static final int MAX_LENGTH = 600;

    public BadInputException(String message) {
        super(oneLine(message));
    }

    public BadInputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * A message that quotes a damaged file can carry its newlines and binary bytes: they are
     * escaped (\n, \xNN) so the error stays one readable line, and a long quote is cut.
     */
    public static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(message.length(), MAX_LENGTH + 16));
        for (int i = 0; i < message.length() && b.length() < MAX_LENGTH; i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (Character.isISOControl(c) || c == '\uFFFD' || Character.isSurrogate(c)
                    || Character.getType(c) == Character.UNASSIGNED || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\x%02X", (int) c & 0xff));
            } else {
                b.append(c);
            }
        }
        return b.length() < MAX_LENGTH ? b.toString() : b + "...";
    }

    /** Why an I/O operation failed, in words: "access denied: /x", "no such file: /y", the message otherwise. */
    public static String reason(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof FileSystemException fse) {
            String why = fse.getReason();
            return why != null ? why : kind.replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toLowerCase(Locale.ROOT);
        }
        return m.isEmpty() ? kind : m;
    }

    /**
     * Names for a message, at most {@code max} of them: {@code a, b, c ... and 9,980 more}, so a table
     * of 10,000 columns is not a 100 KB line.
     */
    public static String listed(Collection<?> items, int max) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (Object o : items) {
            if (i == max) {
                b.append(String.format(Locale.ROOT, " ... and %,d more", items.size() - max));
                break;
            }
            b.append(i++ == 0 ? "" : ", ").append(o);
        }
        return b.toString();
    }

    /** A problem in a whole file (missing, unreadable, wrong format). */
    public static BadInputException inFile(Path file, String what) {
        return new BadInputException(file + ": " + what);
    }

    /**
     * A path that should name a regular file and does not, saying what it is instead: missing, a
     * folder, or a device, pipe or socket ({@code /dev/null} is there, but holds no data).
     *
     * @param noun what was expected, e.g. "file" or "image"
     */
    public static BadInputException notAFile(Path file, String noun) {
        String a = "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ";
        if (!Files.exists(file)) {
            return inFile(file, noun + " not found");
        }
        if (Files.isDirectory(file)) {
            return inFile(file, "is a folder, " + a + noun + " is needed");
        }
        return inFile(file, "not a regular file (a device, pipe or socket, such as /dev/null); " + a + noun + " is needed");
    }

    /** A problem at one line (1-based) of a text file, in a named field. */
    public static BadInputException at(Path file, long line, String field, String what) {
        return new BadInputException(file + ":" + line + ": field '" + field + "': " + what);
    }
}

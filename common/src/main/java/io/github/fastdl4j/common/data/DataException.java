package io.github.fastdl4j.common.data;

import java.nio.file.Path;

/**
 * A problem with user-supplied data, reported as one clear line that names the file and, where
 * known, the line and field, and says what was expected. Command-line tools print
 * {@link #getMessage()} alone (no stack trace) and exit non-zero.
 */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem in a whole file (missing, unreadable, wrong format). */
    public static DataException inFile(Path file, String what) {
        return new DataException(file + ": " + what);
    }

    /** A problem at one line (1-based) of a text file, in a named field. */
    public static DataException at(Path file, long line, String field, String what) {
        return new DataException(file + ":" + line + ": field '" + field + "': " + what);
    }
}

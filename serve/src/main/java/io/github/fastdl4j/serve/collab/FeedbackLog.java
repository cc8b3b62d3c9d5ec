package io.github.fastdl4j.serve.collab;

import io.github.fastdl4j.common.data.BadInputException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model's feedback log, {@code FEEDBACK_DIR/<model id>.csv} in the {@code ratings.csv} layout
 * ({@code userId,movieId,rating,timestamp}), which {@code collab train --more-ratings} reads. An
 * append returns only once the line is on disk ({@link FileChannel#force}), so an acknowledged
 * feedback survives a crash; a line cut short by a crash mid-append (never acknowledged) is cut
 * off when the log is next opened. One instance per file; its monitor orders appends and the
 * folding of the log into a freshly loaded model.
 */
public final class FeedbackLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackLog.class);
    static final String HEADER = "userId,movieId,rating,timestamp\n";

    /**
     * One feedback line.
     *
     * @param user      the user id
     * @param movie     the movie id
     * @param rating    the rating
     * @param timestamp seconds since 1970
     */
    public record Row(String user, String movie, double rating, long timestamp) {
    }

    private final Path file;
    private FileChannel channel;

    public FeedbackLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            Files.createDirectories(file.getParent());
            boolean fresh = !Files.exists(file);
            FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            long size = c.size();
            if (size > 0) {
                long keep = lastNewline(c, size);
                if (keep < size) {
                    LOG.warn("feedback log {}: cut off an unfinished last line ({} bytes, never acknowledged)", file.getFileName(), size - keep);
                    c.truncate(keep);
                    c.force(true);
                }
            }
            c.position(c.size());
            if (c.size() == 0) {
                writeFully(c, HEADER.getBytes(StandardCharsets.US_ASCII));
                c.force(true);
            }
            if (fresh) {
                syncDir(file.getParent());
            }
            channel = c;
        }
        return channel;
    }

    private static long lastNewline(FileChannel c, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - b.capacity());
            b.clear().limit((int) (end - start));
            c.read(b, start);
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    private static void syncDir(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a folder for syncing; the file itself is synced
        }
    }

    private static void writeFully(FileChannel c, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** Appends one line and forces it to disk; returns once it is durable. */
    public synchronized void append(Row r) throws IOException {
        String line = CSVFormat.DEFAULT.format(r.user(), r.movie(), num(r.rating()), Long.toString(r.timestamp())) + "\n";
        FileChannel c = channel();
        writeFully(c, line.getBytes(StandardCharsets.UTF_8));
        c.force(true);
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    /** Every complete line of the log (a torn last line is cut off first); none when there is no log. */
    public synchronized List<Row> readAll() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        channel(); // repairs a torn last line
        List<Row> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            for (CSVRecord rec : p) {
                try {
                    rows.add(new Row(rec.get(0), rec.get(1), Double.parseDouble(rec.get(2)), Long.parseLong(rec.get(3))));
                } catch (RuntimeException e) {
                    throw BadInputException.at(file, rec.getRecordNumber() + 1, "line", "not a feedback line: " + rec);
                }
            }
        }
        return rows;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}

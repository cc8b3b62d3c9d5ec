package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Ratings read through {@link CsvTable}, row by row: the path of any table ({@link
 * RatingsLoader#fromTable}) and of a MovieLens file that {@link RatingsStream} leaves (quotes,
 * other encodings), which also names the first bad cell. Each rating is checked against a known
 * scale or, with a NaN scale, the scale is learned from the data; duplicate pairs keep the first
 * one's place and the last one's rating. It lives apart from {@link RatingsLoader}, which finds
 * the files and their metadata, because collecting and checking rows is a job of its own; the
 * raw-cell re-reading of error messages lives here as only these checks quote cells.
 */
final class TableRows implements Rows {

    // the loader's logger, so a run's log names RatingsLoader as before these classes were split off
    private static final Logger log = LoggerFactory.getLogger(RatingsLoader.class);

    final double step;
    final double min;
    final double max;
    final List<String> users = new ArrayList<>();
    final List<String> movies = new ArrayList<>();
    float[] rating = new float[1 << 16];
    long[] time = new long[1 << 16];
    int n;
    final Map<String, Integer> position = new HashMap<>();
    int duplicates;

    /** A known scale, or NaN to take it from the data. */
    TableRows(double step, double min, double max) {
        this.step = step;
        this.min = min;
        this.max = max;
    }

    /** Every row of {@code t}; MovieLens ids ({@code numericIds}) must be whole numbers. */
    void addAll(Path file, CsvTable t, Charset cs, String userCol, String itemCol, String ratingCol, String timeCol,
                boolean numericIds) {
        String[] us = t.texts(userCol);
        String[] ms = t.texts(itemCol);
        String[] rs = t.texts(ratingCol);
        String[] ts = timeCol == null ? null : t.texts(timeCol);
        for (int i = 0; i < t.rows(); i++) {
            long line = t.line(i);
            String user = numericIds ? RatingsLoader.id(file, line, us[i], userCol) : required(file, line, us[i], userCol);
            String movie = numericIds ? RatingsLoader.id(file, line, ms[i], itemCol) : required(file, line, ms[i], itemCol);
            // messages quote the cell as written (the table holds "NaN" as missing, "1e308" as 1.0E308)
            String read = rs[i];
            Supplier<String> written = () -> {
                String raw = rawCell(file, cs, line, t.names(), ratingCol);
                return raw != null ? raw : read == null ? "" : read;
            };
            add(file, line, user, movie, rs[i], written, ratingCol, ts == null ? null : ts[i], timeCol);
        }
    }

    static String required(Path file, long line, String v, String name) {
        if (v == null) {
            throw BadInputException.at(file, line, name, "empty");
        }
        return v;
    }

    void add(Path file, long line, String user, String movie, String ratingText, Supplier<String> written,
             String ratingField, String ts, String tsField) {
        double parsed = CsvTable.parseNumber(ratingText);
        if (Double.isNaN(parsed)) {
            throw BadInputException.at(file, line, ratingField, "expected a number, got '" + written.get() + "'");
        }
        if (Math.abs(parsed) > RatingsLoader.MAX_RATING) {
            // a float holds 1e308 as Infinity, and a y range that large trains to NaN: the data is wrong
            throw BadInputException.at(file, line, ratingField, "rating " + written.get() + " is not a rating (at most "
                    + (long) RatingsLoader.MAX_RATING + " either way)");
        }
        float r = (float) parsed;
        if (!Double.isNaN(step)) {
            boolean onScale = r >= min && r <= max && Math.abs(r / step - Math.rint(r / step)) < 1e-6;
            if (!onScale) {
                throw BadInputException.at(file, line, ratingField, "rating " + written.get() + " is outside the scale "
                        + (step == 0.5 ? "0.5..5 in half stars" : "1..5 in whole stars"));
            }
        }
        long t = 0;
        if (tsField != null) {
            try {
                t = Long.parseLong(ts == null ? "" : ts);
            } catch (NumberFormatException e) {
                throw BadInputException.at(file, line, tsField, "expected whole seconds, got '" + ts + "'");
            }
        }
        String key = user + '\u0000' + movie;
        Integer at = position.get(key);
        if (at != null) {
            duplicates++;
            rating[at] = r;
            time[at] = t;
            return;
        }
        if (n == rating.length) {
            rating = Arrays.copyOf(rating, n * 2);
            time = Arrays.copyOf(time, n * 2);
        }
        position.put(key, n);
        users.add(user);
        movies.add(movie);
        rating[n] = r;
        time[n] = t;
        n++;
    }

    @Override
    public Ratings build(Path source, Map<String, MovieInfo> movieInfo, Map<String, UserInfo> userInfo,
                  List<String> genres, String checksum) {
        if (n == 0) {
            throw BadInputException.inFile(source, "no ratings in the ratings file");
        }
        if (duplicates > 0) {
            log.warn("{}: {} duplicate (user, movie) pairs; kept the last rating of each", source, duplicates);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, rating[i]);
            hi = Math.max(hi, rating[i]);
        }
        IdVocab uv = IdVocab.of(new HashSet<>(users));
        IdVocab mv = IdVocab.of(new HashSet<>(movies));
        int[] u = new int[n];
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            u[i] = uv.index(users.get(i));
            m[i] = mv.index(movies.get(i));
        }
        // a known scale (MovieLens) is the scale even if the data does not reach its ends
        double scaleMin = Double.isNaN(step) ? lo : min;
        double scaleMax = Double.isNaN(step) ? hi : max;
        Path dir = Files.isDirectory(source) ? source : source.toAbsolutePath().getParent();
        return new Ratings(uv, mv, u, m, Arrays.copyOf(rating, n), Arrays.copyOf(time, n), scaleMin, scaleMax,
                Map.copyOf(movieInfo), Map.copyOf(userInfo), genres, checksum, dir);
    }

    /**
     * The text of one cell as the file writes it (for a message: the table keeps a missing-value
     * marker such as {@code NaN} only as "missing"): the line re-read, split by the separator that
     * gives the table's number of fields. Null when the cell cannot be found again.
     */
    static String rawCell(Path file, Charset cs, long line, List<String> names, String column) {
        int col = names.indexOf(column);
        if (col < 0 || line < 1) {
            return null;
        }
        String text;
        try (Stream<String> lines = Files.lines(file, cs)) {
            text = lines.skip(line - 1).findFirst().orElse("");
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
        for (String sep : List.of(",", "\t", ";", "|", "::")) {
            List<String> fields = split(text.replace("\uFEFF", ""), sep);
            if (fields.size() == names.size()) {
                return fields.get(col).strip();
            }
        }
        return null;
    }

    /** Fields of one line, double quotes grouping (and {@code ""} escaping) as in CSV. */
    private static List<String> split(String line, String sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (!quoted && line.startsWith(sep, i)) {
                out.add(cur.toString());
                cur.setLength(0);
                i += sep.length() - 1;
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}

package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.ParquetTable;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ratings from a Parquet file or a folder of parts (what Spark and pandas write at the sizes
 * where CSV gets slow), read by {@link ParquetTable} straight into the primitive columns the
 * CSV fast path fills ({@link RatingsStream.Read}), so both give the same {@link Ratings}:
 * <ul>
 *   <li>{@code --ratings FILE.parquet}: the columns of MovieLens' {@code ratings.csv} ({@code
 *   userId, movieId, rating}, optional {@code timestamp}; whole-number ids, ratings on its 0.5..5
 *   half-star scale; titles and genres from a {@code movies.csv} beside it), or {@code user, item, rating}
 *   (optional {@code timestamp}) with ids of any
 *   form and the scale taken from the data, as {@code --csv}'s defaults;</li>
 *   <li>{@code --csv FILE.parquet} with the column options: {@link RatingsLoader#fromTable}'s rules.</li>
 * </ul>
 * A row of a Parquet file has no line: messages name it by its 1-based row number.
 */
final class ParquetRatings {

    private static final List<String> MOVIELENS = List.of("userId", "movieId", "rating");
    private static final List<String> PLAIN = List.of("user", "item", "rating");

    private ParquetRatings() {
    }

    /** {@code --ratings FILE.parquet}: the ratings.csv layout, or user, item, rating. */
    static Ratings load(Path path) {
        List<String> names = ParquetTable.names(path);
        boolean movieLens = names.containsAll(MOVIELENS);
        List<String> cols = movieLens ? MOVIELENS : PLAIN;
        if (!movieLens && !names.containsAll(PLAIN)) {
            List<String> lacking = new ArrayList<>(names.contains("userId") || names.contains("movieId") ? MOVIELENS : PLAIN);
            lacking.removeAll(names);
            throw BadInputException.inFile(path, "column '" + lacking.get(0) + "': no such column; a Parquet file of ratings has "
                    + "userId, movieId, rating (as MovieLens' ratings.csv) or user, item, rating, each with an optional timestamp "
                    + "(other names: --csv FILE with --user-col, --item-col, --rating-col); the file has " + BadInputException.listed(names, 20));
        }
        String time = names.contains("timestamp") ? "timestamp" : null;
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        Path moviesCsv = dir == null ? null : dir.resolve("movies.csv");
        if (!movieLens || moviesCsv == null || !Files.isRegularFile(moviesCsv)) {
            return read(path, cols.get(0), cols.get(1), cols.get(2), time, null, movieLens, null);
        }
        // MovieLens' ratings as Parquet beside its movies.csv: titles and genres, as for ratings.csv
        Ratings r = read(path, cols.get(0), cols.get(1), cols.get(2), time, null, true, moviesCsv);
        CsvTable mt = RatingsLoader.header(moviesCsv, CsvTable.read(moviesCsv, CsvTable.Format.csv().separator(",")
                .charset(StandardCharsets.UTF_8).types(Map.of("title", CsvTable.Type.TEXT, "genres", CsvTable.Type.TEXT))),
                List.of("movieId", "title", "genres"));
        Map<String, MovieInfo> movies = new HashMap<>();
        LinkedHashMap<String, Boolean> genres = new LinkedHashMap<>();
        RatingsLoader.readMovies(moviesCsv, mt, "movieId", "title", "genres", movies, genres);
        return new Ratings(r.userVocab(), r.movieVocab(), r.user(), r.movie(), r.rating(), r.timestamp(), r.minRating(), r.maxRating(),
                Map.copyOf(movies), Map.of(), List.copyOf(genres.keySet()), r.checksum(), r.source());
    }

    /** {@code --csv FILE.parquet}: the named columns; titles from a column of the file or from an items table (CSV). */
    static Ratings fromTable(RatingsLoader.Columns c) {
        Ratings r = read(c.file(), c.user(), c.item(), c.rating(), null, c.title(), false, c.items());
        if (c.items() == null) {
            return r;
        }
        Map<String, MovieInfo> movies = new HashMap<>(r.movieInfo());
        RatingsLoader.readItemTitles(c, movies);
        return new Ratings(r.userVocab(), r.movieVocab(), r.user(), r.movie(), r.rating(), r.timestamp(), r.minRating(), r.maxRating(),
                Map.copyOf(movies), Map.of(), List.of(), r.checksum(), r.source());
    }

    private static BadInputException at(Path file, int row, String field, String what) {
        return BadInputException.inFile(file, "row " + (row + 1) + ": field '" + field + "': " + what);
    }

    /**
     * @param movieLens whole-number ids and the half-star scale checked (ratings.csv's rules), else
     *                  ids of any form and the scale from the data
     * @param itemsFile a table of items read after (its checksum joins the file's), or null
     */
    private static Ratings read(Path path, String userCol, String itemCol, String ratingCol, String timeCol, String titleCol,
                                boolean movieLens, Path itemsFile) {
        if (userCol.equals(itemCol)) {
            throw BadInputException.inFile(path, "column '" + userCol + "' named for both the users and the items: each needs its own");
        }
        List<String> want = new ArrayList<>(List.of(userCol, itemCol, ratingCol));
        if (timeCol != null) {
            want.add(timeCol);
        }
        if (titleCol != null) {
            want.add(titleCol);
        }
        ParquetTable t = ParquetTable.read(path, want);
        int n = t.rows();
        if (n == 0) {
            throw BadInputException.inFile(path, "no ratings in the ratings file");
        }
        float[] rating = ratings(t, ratingCol, movieLens);
        long[] time = times(t, timeCol);
        ParquetTable.Column users = t.column(userCol);
        ParquetTable.Column items = t.column(itemCol);
        double min = movieLens ? 0.5 : Double.POSITIVE_INFINITY;
        double max = movieLens ? 5 : Double.NEGATIVE_INFINITY;
        if (!movieLens) {
            for (float r : rating) {
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
        }
        Map<String, MovieInfo> titles = new HashMap<>();
        if (titleCol != null) {
            ParquetTable.Column tc = t.column(titleCol);
            for (int i = 0; i < n; i++) {
                String item = idText(path, items, i, movieLens);
                String title = tc.text(i);
                if (title != null) {
                    titles.put(item, new MovieInfo(title, RatingsLoader.yearOfTitle(title), List.of()));
                }
            }
        }
        List<Path> read = new ArrayList<>(t.files());
        if (itemsFile != null) {
            read.add(itemsFile);
        }
        String checksum = RatingsLoader.checksum(read);
        int[] u = smallIds(path, users, movieLens);
        int[] m = smallIds(path, items, movieLens);
        if (u != null && m != null) {
            // the CSV fast path's own columns: same vocabularies (ids in numeric order), same folding of duplicates
            return new StreamedRows(new RatingsStream.Read(u, m, rating, time, n), min, max).build(path, titles, Map.of(), List.of(),
                    checksum);
        }
        String[] us = new String[n];
        String[] ms = new String[n];
        for (int i = 0; i < n; i++) {
            us[i] = idText(path, users, i, movieLens);
            ms[i] = idText(path, items, i, movieLens);
        }
        IdVocab uv = IdVocab.of(new HashSet<>(Arrays.asList(us)));
        IdVocab mv = IdVocab.of(new HashSet<>(Arrays.asList(ms)));
        u = new int[n];
        m = new int[n];
        for (int i = 0; i < n; i++) {
            u[i] = uv.index(us[i]);
            m[i] = mv.index(ms[i]);
        }
        int kept = StreamedRows.fold(u, m, rating, time, n, uv.size(), mv.size());
        if (kept < n) {
            LoggerFactory.getLogger(RatingsLoader.class).warn("{}: {} duplicate (user, movie) pairs; kept the last rating of each",
                    path, n - kept);
        }
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        return new Ratings(uv, mv, Arrays.copyOf(u, kept), Arrays.copyOf(m, kept), Arrays.copyOf(rating, kept), Arrays.copyOf(time, kept),
                min, max, Map.copyOf(titles), Map.of(), List.of(), checksum, dir);
    }

    private static float[] ratings(ParquetTable t, String col, boolean movieLens) {
        ParquetTable.Column c = t.column(col);
        if (!c.numeric()) {
            throw BadInputException.inFile(t.file(), "column '" + col + "': ratings are numbers, found " + c.type());
        }
        // a float column is checked and used as it is (10M ratings: 40 MB not copied)
        float[] out = c.kind() == ParquetTable.Kind.FLOAT ? c.floats() : new float[t.rows()];
        for (int i = 0; i < out.length; i++) {
            if (c.isNull(i)) {
                throw at(t.file(), i, col, "empty (a null): every rating needs a value");
            }
            double r = c.number(i);
            if (Double.isNaN(r)) {
                throw at(t.file(), i, col, "expected a number, got NaN");
            }
            if (Math.abs(r) > RatingsLoader.MAX_RATING) {
                throw at(t.file(), i, col, "rating " + CsvTable.keyOf(r) + " is not a rating (at most "
                        + (long) RatingsLoader.MAX_RATING + " either way)");
            }
            float f = (float) r;
            if (movieLens && !(f >= 0.5 && f <= 5 && Math.abs(f / 0.5 - Math.rint(f / 0.5)) < 1e-6)) {
                throw at(t.file(), i, col, "rating " + CsvTable.keyOf(r) + " is outside the scale 0.5..5 in half stars "
                        + "(the scale of MovieLens' ratings.csv, whose column names the file has; with user, item, rating "
                        + "columns the scale comes from the data)");
            }
            out[i] = f;
        }
        return out;
    }

    private static long[] times(ParquetTable t, String col) {
        if (col == null) {
            return new long[t.rows()];
        }
        long[] out = new long[t.rows()];
        ParquetTable.Column c = t.column(col);
        boolean whole = c.kind() == ParquetTable.Kind.INT || c.kind() == ParquetTable.Kind.LONG || c.kind() == ParquetTable.Kind.TIMESTAMP;
        if (!whole) {
            throw BadInputException.inFile(t.file(), "column '" + col + "': expected whole seconds or a timestamp, found " + c.type());
        }
        if (!c.nulls().isEmpty()) {
            int i = c.nulls().nextSetBit(0);
            throw at(t.file(), i, col, "expected whole seconds, got a null");
        }
        if (c.kind() != ParquetTable.Kind.INT) {
            return c.longs(); // used as read: not copied
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = c.ints()[i];
        }
        return out;
    }

    /** Whole-number ids from 0 to the int range as they are (the fast path's raw ids), else null. */
    private static int[] smallIds(Path file, ParquetTable.Column c, boolean movieLens) {
        int n = c.nulls().isEmpty() ? (c.ints() != null ? c.ints().length : c.longs() != null ? c.longs().length : -1) : -1;
        if (n < 0 || c.kind() != ParquetTable.Kind.INT && c.kind() != ParquetTable.Kind.LONG) {
            return null;
        }
        // int32 ids are used as read (the codes replace them in place), int64 ones copied if they fit
        int[] out = c.kind() == ParquetTable.Kind.INT ? c.ints() : new int[n];
        for (int i = 0; i < n; i++) {
            long v = c.kind() == ParquetTable.Kind.INT ? c.ints()[i] : c.longs()[i];
            if (v < 0 || v > Integer.MAX_VALUE) {
                if (movieLens && v < 0) {
                    throw at(file, i, c.name(), "expected a whole-number id, got '" + v + "'");
                }
                return null;
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** An id as text: whole numbers as written, text as is (a MovieLens id must be a whole number). */
    private static String idText(Path file, ParquetTable.Column c, int row, boolean movieLens) {
        if (c.isNull(row)) {
            throw at(file, row, c.name(), "empty (a null): every rating names its " + (c.name()));
        }
        if (c.kind() != ParquetTable.Kind.INT && c.kind() != ParquetTable.Kind.LONG && c.kind() != ParquetTable.Kind.TEXT) {
            throw BadInputException.inFile(file, "column '" + c.name() + "': ids are whole numbers or text, found " + c.type());
        }
        String v = c.text(row);
        if (movieLens) {
            try {
                long id = Long.parseLong(v.strip());
                if (id < 0) {
                    throw new NumberFormatException();
                }
                return Long.toString(id);
            } catch (NumberFormatException e) {
                throw at(file, row, c.name(), "expected a whole-number id, got '" + v + "'");
            }
        }
        return v;
    }
}

package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.data.CsvRows;
import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.data.TextFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads MovieLens in both layouts:
 * <ul>
 *   <li>ml-100k: {@code u.data} (tab-separated user, item, rating 1..5, timestamp; no header),
 *   optional {@code u.item} (ISO-8859-1, {@code |}-separated, 19 genre flags) and {@code u.user};</li>
 *   <li>newer releases: {@code ratings.csv} ({@code userId,movieId,rating,timestamp}, half stars
 *   0.5..5) and optional {@code movies.csv} ({@code movieId,title,genres}, quoted titles).</li>
 * </ul>
 * A malformed line, a rating outside the scale or a missing file is one {@link DataException}
 * naming file, line and field. Duplicate (user, movie) pairs keep the last rating, with a warning.
 */
public final class RatingsLoader {

    private static final Logger log = LoggerFactory.getLogger(RatingsLoader.class);

    /** ml-100k's 19 genres, in the order of u.item's flags (the release's u.genre). */
    public static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");

    private static final Pattern YEAR_IN_TITLE = Pattern.compile("\\((\\d{4})\\)\\s*$");
    private static final Pattern YEAR_IN_DATE = Pattern.compile("(\\d{4})$");

    private RatingsLoader() {
    }

    /** Reads the folder, detecting the layout. */
    public static Ratings load(Path dir) {
        if (Files.isRegularFile(dir.resolve("u.data"))) {
            return loadMl100k(dir);
        }
        if (Files.isRegularFile(dir.resolve("ratings.csv"))) {
            return loadCsv(dir);
        }
        throw DataException.inFile(dir, "no ratings found: expected u.data (ml-100k layout) or ratings.csv "
                + "(newer MovieLens layout) in this folder");
    }

    private static CSVFormat plain(char delimiter) {
        return CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setQuote(null).setIgnoreEmptyLines(true).build();
    }

    private static Ratings loadMl100k(Path dir) {
        Path data = dir.resolve("u.data");
        Table t = new Table(1, 5, false);
        read(data, StandardCharsets.US_ASCII, plain('\t'), false, (r, line) -> {
            need(data, line, r, 4, "user id, item id, rating, timestamp");
            t.add(data, line, id(data, line, field(data, line, r, 0, "user id"), "user id"),
                    id(data, line, field(data, line, r, 1, "item id"), "item id"), r.get(2), "rating", r.get(3));
        });
        Map<String, MovieInfo> movies = new HashMap<>();
        Path item = dir.resolve("u.item");
        if (Files.isRegularFile(item)) {
            // the release is Latin-1; copies re-encoded as UTF-8 circulate too: read whichever it is
            read(item, TextFiles.utf8Or(item, StandardCharsets.ISO_8859_1), plain('|'), false, (r, line) -> {
                need(item, line, r, 5 + ML100K_GENRES.size(), "movie id | title | release date | video release date | "
                        + "IMDb URL | 19 genre flags");
                List<String> genres = new ArrayList<>();
                for (int g = 0; g < ML100K_GENRES.size(); g++) {
                    String flag = r.get(5 + g).trim();
                    if (!flag.equals("0") && !flag.equals("1")) {
                        throw DataException.at(item, line, ML100K_GENRES.get(g) + " flag", "expected 0 or 1, got '" + flag + "'");
                    }
                    if (flag.equals("1")) {
                        genres.add(ML100K_GENRES.get(g));
                    }
                }
                Matcher m = YEAR_IN_DATE.matcher(r.get(2).trim());
                Integer year = m.find() ? Integer.valueOf(m.group(1)) : yearOfTitle(r.get(1));
                movies.put(id(item, line, field(item, line, r, 0, "movie id"), "movie id"),
                        new MovieInfo(r.get(1).trim(), year, genres));
            });
        }
        Map<String, UserInfo> users = new HashMap<>();
        Path user = dir.resolve("u.user");
        if (Files.isRegularFile(user)) {
            read(user, StandardCharsets.ISO_8859_1, plain('|'), false, (r, line) -> {
                need(user, line, r, 5, "user id | age | gender | occupation | zip code");
                int age = parseInt(user, line, "age", r.get(1));
                String gender = r.get(2).trim();
                if (!gender.equals("M") && !gender.equals("F")) {
                    throw DataException.at(user, line, "gender", "expected M or F, got '" + gender + "'");
                }
                users.put(id(user, line, field(user, line, r, 0, "user id"), "user id"), new UserInfo(age, gender, r.get(3).trim()));
            });
        }
        List<Path> files = new ArrayList<>(List.of(data));
        for (Path p : List.of(item, user)) {
            if (Files.isRegularFile(p)) {
                files.add(p);
            }
        }
        return t.build(dir, movies, users, movies.isEmpty() ? List.of() : ML100K_GENRES, checksum(files));
    }

    private static Ratings loadCsv(Path dir) {
        Path data = dir.resolve("ratings.csv");
        Table t = new Table(0.5, 5, true);
        CSVFormat csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).build();
        read(data, StandardCharsets.UTF_8, csv, true, (r, line) -> {
            need(data, line, r, 4, "userId,movieId,rating,timestamp");
            t.add(data, line, id(data, line, field(data, line, r, "userId"), "userId"),
                    id(data, line, field(data, line, r, "movieId"), "movieId"),
                    field(data, line, r, "rating"), "rating", field(data, line, r, "timestamp"));
        });
        Map<String, MovieInfo> movies = new HashMap<>();
        LinkedHashMap<String, Boolean> genreNames = new LinkedHashMap<>();
        Path moviesCsv = dir.resolve("movies.csv");
        if (Files.isRegularFile(moviesCsv)) {
            read(moviesCsv, StandardCharsets.UTF_8, csv, true, (r, line) -> {
                need(moviesCsv, line, r, 3, "movieId,title,genres");
                String title = field(moviesCsv, line, r, "title");
                List<String> genres = new ArrayList<>();
                for (String g : field(moviesCsv, line, r, "genres").split("\\|")) {
                    if (!g.isBlank() && !g.equals("(no genres listed)")) {
                        genres.add(g);
                        genreNames.put(g, true);
                    }
                }
                movies.put(id(moviesCsv, line, field(moviesCsv, line, r, "movieId"), "movieId"),
                        new MovieInfo(title.trim(), yearOfTitle(title), genres));
            });
        }
        List<Path> files = Files.isRegularFile(moviesCsv) ? List.of(data, moviesCsv) : List.of(data);
        return t.build(dir, movies, Map.of(), List.copyOf(genreNames.keySet()), checksum(files));
    }

    private static Integer yearOfTitle(String title) {
        Matcher m = YEAR_IN_TITLE.matcher(title);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    private static void read(Path file, Charset cs, CSVFormat format, boolean header, CsvRows.Handler h) {
        List<String> want = !header ? List.of() : file.getFileName().toString().equals("ratings.csv")
                ? List.of("userId", "movieId", "rating", "timestamp") : List.of("movieId", "title", "genres");
        CsvRows.read(file, cs, format, header, want, h);
    }

    private static void need(Path file, long line, CSVRecord r, int n, String layout) {
        if (r.size() < n) {
            throw DataException.at(file, line, "line", "expected " + n + " fields (" + layout + "), found " + r.size());
        }
    }

    private static String field(Path file, long line, CSVRecord r, int i, String name) {
        String v = r.get(i).trim();
        if (v.isEmpty()) {
            throw DataException.at(file, line, name, "empty");
        }
        return v;
    }

    private static String field(Path file, long line, CSVRecord r, String name) {
        if (!r.isSet(name)) {
            throw DataException.at(file, line, name, "missing");
        }
        String v = r.get(name);
        if (v.isBlank() && !name.equals("genres")) {
            throw DataException.at(file, line, name, "empty");
        }
        return v.trim();
    }

    /**
     * MovieLens ids are whole numbers: anything else is a damaged line, not a new user. The id is
     * kept as written without leading zeros, so "007" and "7" are one user.
     */
    private static String id(Path file, long line, String v, String name) {
        try {
            long id = Long.parseLong(v);
            if (id < 0) {
                throw new NumberFormatException();
            }
            return Long.toString(id);
        } catch (NumberFormatException e) {
            throw DataException.at(file, line, name, "expected a whole-number id, got '" + v + "'");
        }
    }

    private static int parseInt(Path file, long line, String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw DataException.at(file, line, name, "expected an integer, got '" + v + "'");
        }
    }

    private static String checksum(List<Path> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Datasets.sha256(f, false).getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Collects ratings, checks the scale, keeps the last of duplicate pairs. */
    private static final class Table {
        final double min;
        final double max;
        final boolean halfStars;
        final List<String> users = new ArrayList<>();
        final List<String> movies = new ArrayList<>();
        float[] rating = new float[1 << 16];
        long[] time = new long[1 << 16];
        int n;
        final Map<String, Integer> position = new HashMap<>();
        int duplicates;

        Table(double min, double max, boolean halfStars) {
            this.min = min;
            this.max = max;
            this.halfStars = halfStars;
        }

        void add(Path file, long line, String user, String movie, String ratingText, String ratingField, String ts) {
            float r;
            try {
                r = Float.parseFloat(ratingText.trim());
            } catch (NumberFormatException e) {
                throw DataException.at(file, line, ratingField, "expected a number, got '" + ratingText + "'");
            }
            boolean onScale = r >= min && r <= max && (halfStars ? r * 2 == Math.rint(r * 2) : r == Math.rint(r));
            if (!onScale) {
                throw DataException.at(file, line, ratingField, "rating " + ratingText + " is outside the scale "
                        + (halfStars ? "0.5..5 in half stars" : "1..5 in whole stars"));
            }
            long t;
            try {
                t = Long.parseLong(ts.trim());
            } catch (NumberFormatException e) {
                throw DataException.at(file, line, "timestamp", "expected whole seconds, got '" + ts + "'");
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

        Ratings build(Path dir, Map<String, MovieInfo> movieInfo, Map<String, UserInfo> userInfo,
                      List<String> genres, String checksum) {
            if (n == 0) {
                throw DataException.inFile(dir, "no ratings in the ratings file");
            }
            if (duplicates > 0) {
                log.warn("{}: {} duplicate (user, movie) pairs; kept the last rating of each", dir, duplicates);
            }
            IdVocab uv = IdVocab.of(new java.util.HashSet<>(users));
            IdVocab mv = IdVocab.of(new java.util.HashSet<>(movies));
            int[] u = new int[n];
            int[] m = new int[n];
            for (int i = 0; i < n; i++) {
                u[i] = uv.index(users.get(i));
                m[i] = mv.index(movies.get(i));
            }
            return new Ratings(uv, mv, u, m, Arrays.copyOf(rating, n), Arrays.copyOf(time, n), min, max,
                    Map.copyOf(movieInfo), Map.copyOf(userInfo), genres, checksum, dir);
        }
    }
}

package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.data.TextFiles;
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
 * Reads ratings through DataVec ({@link CsvTable}): the MovieLens layouts, found by their file
 * names, and any table of ratings (fastai's {@code CollabDataLoaders.from_df(df, user_name,
 * item_name, rating_name)}):
 * <ul>
 *   <li>ml-100k: {@code u.data} (tab-separated user, item, rating 1..5, timestamp; no header),
 *   optional {@code u.item} (Latin-1 or UTF-8, {@code |}-separated, 19 genre flags) and {@code u.user};</li>
 *   <li>ml-1m / ml-10m: {@code ratings.dat} ({@code UserID::MovieID::Rating::Timestamp}), optional
 *   {@code movies.dat} ({@code MovieID::Title::Genres}) and {@code users.dat}
 *   ({@code UserID::Gender::Age::Occupation::Zip-code});</li>
 *   <li>newer releases: {@code ratings.csv} ({@code userId,movieId,rating,timestamp}, half stars
 *   0.5..5) and optional {@code movies.csv} ({@code movieId,title,genres}, quoted titles);</li>
 *   <li>any CSV: the user, item and rating columns named ({@link Columns}), ids of any form, the
 *   rating scale taken from the data, titles from a column or from an items file.</li>
 * </ul>
 * A malformed line, a rating outside the scale or a missing file is one {@link DataException}
 * naming file, line and field. Duplicate (user, item) pairs keep the last rating, with a warning.
 */
public final class RatingsLoader {

    private static final Logger log = LoggerFactory.getLogger(RatingsLoader.class);

    /** ml-100k's 19 genres, in the order of u.item's flags (the release's u.genre). */
    public static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");

    /** ml-1m's occupation codes (its README), for users.dat. */
    private static final List<String> ML1M_OCCUPATIONS = List.of("other", "academic/educator", "artist", "clerical/admin",
            "college/grad student", "customer service", "doctor/health care", "executive/managerial", "farmer", "homemaker",
            "K-12 student", "lawyer", "programmer", "retired", "sales/marketing", "scientist", "self-employed",
            "technician/engineer", "tradesman/craftsman", "unemployed", "writer");

    /** The largest size of a rating: a saved model's y range (half a point wider) must stay below 1e6 (CollabSpec's check). */
    static final double MAX_RATING = 999_999;

    private static final Pattern YEAR_IN_TITLE = Pattern.compile("\\((\\d{4})\\)\\s*$");
    private static final Pattern YEAR_IN_DATE = Pattern.compile("(\\d{4})$");

    private RatingsLoader() {
    }

    /**
     * Which columns of a ratings table mean what.
     *
     * @param file        the ratings file
     * @param user        the user id column
     * @param item        the item id column
     * @param rating      the rating column
     * @param title       a title column of the ratings file, or null
     * @param format      how to read it (separator, header, encoding)
     * @param items       an items file with titles, or null
     * @param itemId      its id column
     * @param itemTitle   its title column
     */
    public record Columns(Path file, String user, String item, String rating, String title, CsvTable.Format format,
                          Path items, String itemId, String itemTitle) {
    }

    /** Reads a MovieLens folder, detecting the layout by its file names; each file in its release's encoding. */
    public static Ratings load(Path dir) {
        return load(dir, null);
    }

    /**
     * Reads a MovieLens folder whose files are in {@code encoding} (a user's {@code --encoding}), or,
     * when null, in their release's encodings (u.item and movies.dat Latin-1 or UTF-8, whichever
     * they are; movies.csv UTF-8).
     */
    public static Ratings load(Path dir, Charset encoding) {
        return load(dir, encoding, true);
    }

    /** {@code stream}: false reads every file through {@link CsvTable} (tests compare both paths). */
    static Ratings load(Path dir, Charset encoding, boolean stream) {
        if (Files.isRegularFile(dir)) {
            throw DataException.inFile(dir, "a folder of ratings is needed here (give a single table with --csv)");
        }
        if (!Files.isDirectory(dir)) {
            throw Files.exists(dir)
                    ? DataException.inFile(dir, "not a folder (a device, pipe or socket, such as /dev/null); a folder of ratings is needed")
                    : DataException.inFile(dir, "folder not found");
        }
        if (Files.isRegularFile(dir.resolve("u.data"))) {
            return loadMl100k(dir, encoding, stream);
        }
        if (Files.isRegularFile(dir.resolve("ratings.dat"))) {
            return loadMl1m(dir, encoding, stream);
        }
        if (Files.isRegularFile(dir.resolve("ratings.csv"))) {
            return loadCsv(dir, encoding, stream);
        }
        throw DataException.inFile(dir, "no ratings found: expected u.data (ml-100k layout), ratings.dat (ml-1m, ml-10m) or "
                + "ratings.csv (newer MovieLens layout) in this folder, or give any table with --csv");
    }

    private static CsvTable table(Path file, String sep, boolean header, Charset cs, List<String> names) {
        CsvTable.Format f = CsvTable.Format.csv().separator(sep).charset(cs);
        if (!header) {
            f = f.noHeader(names);
        }
        CsvTable t = CsvTable.read(file, f);
        if (!header && t.names().size() != names.size()) {
            throw DataException.inFile(file, "expected " + names.size() + " fields per line (" + String.join(", ", names) + ")");
        }
        return t;
    }

    /**
     * The ratings of a MovieLens file ({@code names}: its columns when it has no header; {@code
     * want}: user, item, rating and timestamp columns) on a known scale: read by {@link
     * RatingsStream} into primitive columns when every line is plain, else through {@link CsvTable},
     * which reads what the stream leaves (quotes, other encodings) or names the first problem.
     */
    private static Rows rows(boolean stream, Path data, String sep, List<String> names, Charset cs, List<String> want, double step,
                             double min, double max) {
        RatingsStream.Read fast = stream ? RatingsStream.read(data, cs, sep, names, want, step, min, max) : null;
        if (fast != null) {
            return new Streamed(fast, min, max);
        }
        CsvTable t = names != null ? table(data, sep, false, cs, names)
                : header(data, CsvTable.read(data, CsvTable.Format.csv().separator(sep).charset(cs)), want);
        Table ratings = new Table(step, min, max);
        ratings.addAll(data, t, cs, want.get(0), want.get(1), want.get(2), want.get(3), true);
        return ratings;
    }

    private static Charset or(Charset given, Charset release) {
        return given != null ? given : release;
    }

    private static Ratings loadMl100k(Path dir, Charset cs, boolean stream) {
        Path data = dir.resolve("u.data");
        List<String> cols0 = List.of("user id", "item id", "rating", "timestamp");
        Rows ratings = rows(stream, data, "\t", cols0, or(cs, StandardCharsets.US_ASCII), cols0, 1, 1, 5);
        Map<String, MovieInfo> movies = new HashMap<>();
        Path item = dir.resolve("u.item");
        if (Files.isRegularFile(item)) {
            List<String> cols = new ArrayList<>(List.of("movie id", "title", "release date", "video release date", "IMDb URL"));
            cols.addAll(ML100K_GENRES);
            // the release is Latin-1; copies re-encoded as UTF-8 circulate too: read whichever it is
            CsvTable it = table(item, "|", false, cs != null ? cs : TextFiles.utf8Or(item, StandardCharsets.ISO_8859_1), cols);
            String[] ids = it.texts("movie id");
            String[] titles = it.texts("title");
            String[] dates = it.texts("release date");
            List<String[]> flags = new ArrayList<>();
            for (String g : ML100K_GENRES) {
                flags.add(it.texts(g));
            }
            for (int i = 0; i < it.rows(); i++) {
                List<String> genres = new ArrayList<>();
                for (int g = 0; g < ML100K_GENRES.size(); g++) {
                    String flag = flags.get(g)[i] == null ? "" : flags.get(g)[i];
                    if (!flag.equals("0") && !flag.equals("1")) {
                        throw DataException.at(item, it.line(i), ML100K_GENRES.get(g) + " flag", "expected 0 or 1, got '" + flag + "'");
                    }
                    if (flag.equals("1")) {
                        genres.add(ML100K_GENRES.get(g));
                    }
                }
                String title = titles[i] == null ? "" : titles[i];
                Matcher m = YEAR_IN_DATE.matcher(dates[i] == null ? "" : dates[i]);
                Integer year = m.find() ? Integer.valueOf(m.group(1)) : yearOfTitle(title);
                movies.put(id(item, it.line(i), ids[i], "movie id"), new MovieInfo(title, year, genres));
            }
        }
        Map<String, UserInfo> users = new HashMap<>();
        Path user = dir.resolve("u.user");
        if (Files.isRegularFile(user)) {
            CsvTable ut = table(user, "|", false, or(cs, StandardCharsets.ISO_8859_1), List.of("user id", "age", "gender", "occupation",
                    "zip code"));
            readUsers(user, ut, "user id", "age", "gender", "occupation", null, users);
        }
        return ratings.build(dir, movies, users, movies.isEmpty() ? List.of() : ML100K_GENRES, checksum(existing(data, item, user)));
    }

    private static Ratings loadMl1m(Path dir, Charset cs, boolean stream) {
        Path data = dir.resolve("ratings.dat");
        List<String> cols0 = List.of("UserID", "MovieID", "Rating", "Timestamp");
        Rows ratings = rows(stream, data, "::", cols0, or(cs, StandardCharsets.UTF_8), cols0, 1, 1, 5);
        Map<String, MovieInfo> movies = new HashMap<>();
        LinkedHashMap<String, Boolean> genreNames = new LinkedHashMap<>();
        Path moviesFile = dir.resolve("movies.dat");
        if (Files.isRegularFile(moviesFile)) {
            CsvTable mt = table(moviesFile, "::", false, cs != null ? cs : TextFiles.utf8Or(moviesFile, StandardCharsets.ISO_8859_1),
                    List.of("MovieID", "Title", "Genres"));
            readMovies(moviesFile, mt, "MovieID", "Title", "Genres", movies, genreNames);
        }
        Map<String, UserInfo> users = new HashMap<>();
        Path usersFile = dir.resolve("users.dat");
        if (Files.isRegularFile(usersFile)) {
            CsvTable ut = table(usersFile, "::", false, or(cs, StandardCharsets.ISO_8859_1), List.of("UserID", "Gender", "Age",
                    "Occupation", "Zip-code"));
            readUsers(usersFile, ut, "UserID", "Age", "Gender", "Occupation", ML1M_OCCUPATIONS, users);
        }
        return ratings.build(dir, movies, users, List.copyOf(genreNames.keySet()), checksum(existing(data, moviesFile, usersFile)));
    }

    private static Ratings loadCsv(Path dir, Charset cs, boolean stream) {
        Path data = dir.resolve("ratings.csv");
        Rows ratings = rows(stream, data, ",", null, or(cs, StandardCharsets.UTF_8), List.of("userId", "movieId", "rating", "timestamp"),
                0.5, 0.5, 5);
        Map<String, MovieInfo> movies = new HashMap<>();
        LinkedHashMap<String, Boolean> genreNames = new LinkedHashMap<>();
        Path moviesCsv = dir.resolve("movies.csv");
        if (Files.isRegularFile(moviesCsv)) {
            CsvTable mt = header(moviesCsv, CsvTable.read(moviesCsv, CsvTable.Format.csv().separator(",").charset(or(cs, StandardCharsets.UTF_8))
                    .types(Map.of("title", CsvTable.Type.TEXT, "genres", CsvTable.Type.TEXT))), List.of("movieId", "title", "genres"));
            readMovies(moviesCsv, mt, "movieId", "title", "genres", movies, genreNames);
        }
        return ratings.build(dir, movies, Map.of(), List.copyOf(genreNames.keySet()), checksum(existing(data, moviesCsv)));
    }

    /**
     * Any table of ratings: ids as written (text), ratings numbers whose scale (lowest, highest, and
     * the step between them: whole or half stars, or anything else) comes from the data; titles from
     * a column or from an items file.
     */
    public static Ratings fromTable(Columns c) {
        CsvTable.Format f = c.format().types(c.title() == null ? Map.of(c.user(), CsvTable.Type.TEXT, c.item(), CsvTable.Type.TEXT)
                : Map.of(c.user(), CsvTable.Type.TEXT, c.item(), CsvTable.Type.TEXT, c.title(), CsvTable.Type.TEXT));
        CsvTable t = CsvTable.read(c.file(), f);
        List<String> want = new ArrayList<>(List.of(c.user(), c.item(), c.rating()));
        if (c.title() != null) {
            want.add(c.title());
        }
        header(c.file(), t, want);
        Table ratings = new Table(Double.NaN, Double.NaN, Double.NaN);
        ratings.addAll(c.file(), t, c.format().charset(), c.user(), c.item(), c.rating(), null, false);
        Map<String, MovieInfo> movies = new HashMap<>();
        List<Path> files = new ArrayList<>(List.of(c.file()));
        if (c.title() != null) {
            String[] items = t.texts(c.item());
            String[] titles = t.texts(c.title());
            for (int i = 0; i < t.rows(); i++) {
                if (items[i] != null && titles[i] != null) {
                    movies.put(items[i], new MovieInfo(titles[i], yearOfTitle(titles[i]), List.of()));
                }
            }
        }
        if (c.items() != null) {
            CsvTable it = header(c.items(), CsvTable.read(c.items(), CsvTable.Format.csv().charset(c.format().charset())
                    .types(Map.of(c.itemId(), CsvTable.Type.TEXT, c.itemTitle(), CsvTable.Type.TEXT))), List.of(c.itemId(), c.itemTitle()));
            String[] ids = it.texts(c.itemId());
            String[] titles = it.texts(c.itemTitle());
            for (int i = 0; i < it.rows(); i++) {
                if (ids[i] == null) {
                    throw DataException.at(c.items(), it.line(i), c.itemId(), "empty");
                }
                if (titles[i] != null) {
                    movies.put(ids[i], new MovieInfo(titles[i], yearOfTitle(titles[i]), List.of()));
                }
            }
            files.add(c.items());
        }
        return ratings.build(c.file(), movies, Map.of(), List.of(), checksum(files));
    }

    /**
     * {@code base} with the ratings of more files in the {@code ratings.csv} layout
     * ({@code userId,movieId,rating,timestamp}; a served model's feedback logs are written so): new
     * users and movies join the vocabularies (a new movie is titled by its id), and a (user, movie)
     * pair rated again takes the later rating, files in the order given. Ratings must lie in the
     * base's y range ({@link Ratings#yRange()}, which a served model takes feedback in): one past
     * the scale's ends widens the scale.
     */
    public static Ratings withMore(Ratings base, List<Path> files) {
        List<String> users = new ArrayList<>();
        List<String> movies = new ArrayList<>();
        List<Float> rating = new ArrayList<>();
        List<Long> time = new ArrayList<>();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < base.size(); i++) {
            String u = base.users().id(base.user()[i]);
            String m = base.movies().id(base.movie()[i]);
            position.put(u + '\u0000' + m, users.size());
            users.add(u);
            movies.add(m);
            rating.add(base.rating()[i]);
            time.add(base.timestamp() == null ? 0L : base.timestamp()[i]);
        }
        List<Path> read = new ArrayList<>();
        double[] range = base.yRange();
        double lo = base.minRating();
        double hi = base.maxRating();
        int added = 0;
        int replaced = 0;
        for (Path f : files) {
            CsvTable t = header(f, CsvTable.read(f, CsvTable.Format.csv().separator(",")
                    .types(Map.of("userId", CsvTable.Type.TEXT, "movieId", CsvTable.Type.TEXT))), List.of("userId", "movieId", "rating", "timestamp"));
            String[] us = t.texts("userId");
            String[] ms = t.texts("movieId");
            String[] rs = t.texts("rating");
            String[] ts = t.texts("timestamp");
            for (int i = 0; i < t.rows(); i++) {
                long line = t.line(i);
                String u = Table.required(f, line, us[i], "userId");
                String m = Table.required(f, line, ms[i], "movieId");
                double r = CsvTable.parseNumber(rs[i]);
                if (Double.isNaN(r) || r < range[0] || r > range[1]) {
                    throw DataException.at(f, line, "rating", "expected a number in the ratings' range " + range[0] + ".."
                            + range[1] + ", got '" + rs[i] + "'");
                }
                lo = Math.min(lo, r);
                hi = Math.max(hi, r);
                long when;
                try {
                    when = Long.parseLong(ts[i] == null ? "" : ts[i]);
                } catch (NumberFormatException e) {
                    throw DataException.at(f, line, "timestamp", "expected whole seconds, got '" + ts[i] + "'");
                }
                Integer at = position.get(u + '\u0000' + m);
                if (at != null) {
                    rating.set(at, (float) r);
                    time.set(at, when);
                    replaced++;
                    continue;
                }
                position.put(u + '\u0000' + m, users.size());
                users.add(u);
                movies.add(m);
                rating.add((float) r);
                time.add(when);
                added++;
            }
            read.add(f);
        }
        log.info("more ratings: {} added, {} replaced, from {}", added, replaced, read);
        IdVocab uv = IdVocab.of(new java.util.HashSet<>(users));
        IdVocab mv = IdVocab.of(new java.util.HashSet<>(movies));
        int n = users.size();
        int[] u = new int[n];
        int[] m = new int[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            u[i] = uv.index(users.get(i));
            m[i] = mv.index(movies.get(i));
            r[i] = rating.get(i);
            t[i] = time.get(i);
        }
        String checksum;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(base.checksum().getBytes(StandardCharsets.US_ASCII));
            md.update(checksum(read).getBytes(StandardCharsets.US_ASCII));
            checksum = HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new Ratings(uv, mv, u, m, r, t, lo, hi, base.movieInfo(), base.userInfo(),
                base.genreNames(), checksum, base.source());
    }

    private static CsvTable header(Path file, CsvTable t, List<String> want) {
        for (String col : want) {
            if (!t.has(col)) {
                throw DataException.at(file, 1, col, "missing column; the header must name " + want + ", found " + t.names());
            }
        }
        return t;
    }

    private static void readMovies(Path file, CsvTable mt, String idCol, String titleCol, String genreCol,
                                   Map<String, MovieInfo> movies, LinkedHashMap<String, Boolean> genreNames) {
        String[] ids = mt.texts(idCol);
        String[] titles = mt.texts(titleCol);
        String[] genresCol = mt.texts(genreCol);
        for (int i = 0; i < mt.rows(); i++) {
            String title = titles[i];
            if (title == null) {
                throw DataException.at(file, mt.line(i), titleCol, "empty");
            }
            List<String> genres = new ArrayList<>();
            for (String g : (genresCol[i] == null ? "" : genresCol[i]).split("\\|")) {
                if (!g.isBlank() && !g.equals("(no genres listed)")) {
                    genres.add(g.strip());
                    genreNames.put(g.strip(), true);
                }
            }
            movies.put(id(file, mt.line(i), ids[i], idCol), new MovieInfo(title, yearOfTitle(title), genres));
        }
    }

    private static void readUsers(Path file, CsvTable ut, String idCol, String ageCol, String genderCol, String occupationCol,
                                  List<String> occupationCodes, Map<String, UserInfo> users) {
        String[] ids = ut.texts(idCol);
        String[] ages = ut.texts(ageCol);
        String[] genders = ut.texts(genderCol);
        String[] occupations = ut.texts(occupationCol);
        for (int i = 0; i < ut.rows(); i++) {
            long line = ut.line(i);
            int age = parseInt(file, line, ageCol, ages[i]);
            String gender = genders[i] == null ? "" : genders[i];
            if (!gender.equals("M") && !gender.equals("F")) {
                throw DataException.at(file, line, genderCol, "expected M or F, got '" + gender + "'");
            }
            String occupation = occupations[i] == null ? "" : occupations[i];
            if (occupationCodes != null) {
                int code = parseInt(file, line, occupationCol, occupation);
                if (code < 0 || code >= occupationCodes.size()) {
                    throw DataException.at(file, line, occupationCol, "expected a code 0.." + (occupationCodes.size() - 1)
                            + ", got " + code);
                }
                occupation = occupationCodes.get(code);
            }
            users.put(id(file, line, ids[i], idCol), new UserInfo(age, gender, occupation));
        }
    }

    private static List<Path> existing(Path... files) {
        return Arrays.stream(files).filter(Files::isRegularFile).toList();
    }

    private static Integer yearOfTitle(String title) {
        Matcher m = YEAR_IN_TITLE.matcher(title);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /**
     * MovieLens ids are whole numbers: anything else is a damaged line, not a new user. The id is
     * kept as written without leading zeros, so "007" and "7" are one user.
     */
    private static String id(Path file, long line, String v, String name) {
        if (v == null) {
            throw DataException.at(file, line, name, "empty");
        }
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
            return Integer.parseInt(v == null ? "" : v.strip());
        } catch (NumberFormatException e) {
            throw DataException.at(file, line, name, "expected an integer, got '" + v + "'");
        }
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
        try (java.util.stream.Stream<String> lines = Files.lines(file, cs)) {
            text = lines.skip(line - 1).findFirst().orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
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

    /**
     * Collects ratings, checks them against a known scale (MovieLens) or learns the scale from the
     * data (any table), keeps the last of duplicate pairs.
     */
    private interface Rows {
        Ratings build(Path source, Map<String, MovieInfo> movieInfo, Map<String, UserInfo> userInfo, List<String> genres,
                      String checksum);
    }

    /**
     * Ratings read by {@link RatingsStream}: raw ids turned into codes in place (the vocabulary in
     * numeric order, as {@link IdVocab#of} orders whole numbers), duplicate pairs folded as {@link
     * Table} folds them (the first one's place, the last one's rating and time).
     */
    private static final class Streamed implements Rows {
        final RatingsStream.Read read;
        final double min;
        final double max;

        Streamed(RatingsStream.Read read, double min, double max) {
            this.read = read;
            this.min = min;
            this.max = max;
        }

        @Override
        public Ratings build(Path source, Map<String, MovieInfo> movieInfo, Map<String, UserInfo> userInfo, List<String> genres,
                             String checksum) {
            int n = read.n();
            int[] u = read.user();
            int[] m = read.item();
            float[] r = read.rating();
            long[] t = read.time();
            IdVocab uv = codes(u, n);
            IdVocab mv = codes(m, n);
            int kept = fold(u, m, r, t, n, mv.size());
            if (kept < n) {
                log.warn("{}: {} duplicate (user, movie) pairs; kept the last rating of each", source, n - kept);
            }
            Path dir = Files.isDirectory(source) ? source : source.toAbsolutePath().getParent();
            return new Ratings(uv, mv, Arrays.copyOf(u, kept), Arrays.copyOf(m, kept), Arrays.copyOf(r, kept), Arrays.copyOf(t, kept),
                    min, max, Map.copyOf(movieInfo), Map.copyOf(userInfo), genres, checksum, dir);
        }

        /** Replaces the raw ids {@code raw[0..n)} by their indices in the vocabulary it returns. */
        static IdVocab codes(int[] raw, int n) {
            int top = 0;
            for (int i = 0; i < n; i++) {
                top = Math.max(top, raw[i]);
            }
            List<String> ids = new ArrayList<>();
            ids.add(IdVocab.NA);
            if (top < 1 << 24) {
                int[] code = new int[top + 1]; // ids are small: a table by raw id
                for (int i = 0; i < n; i++) {
                    code[raw[i]] = 1;
                }
                int next = 1;
                for (int id = 0; id <= top; id++) {
                    if (code[id] != 0) {
                        code[id] = next++;
                        ids.add(Integer.toString(id));
                    }
                }
                for (int i = 0; i < n; i++) {
                    raw[i] = code[raw[i]];
                }
            } else {
                int[] sorted = Arrays.copyOf(raw, n);
                Arrays.sort(sorted);
                int d = 0;
                for (int i = 0; i < n; i++) {
                    if (i == 0 || sorted[i] != sorted[i - 1]) {
                        sorted[d++] = sorted[i];
                        ids.add(Integer.toString(sorted[i]));
                    }
                }
                for (int i = 0; i < n; i++) {
                    raw[i] = Arrays.binarySearch(sorted, 0, d, raw[i]) + 1;
                }
            }
            return new IdVocab(ids);
        }

        /**
         * Folds duplicate (user, item) pairs in place, the first one's place keeping the last one's
         * rating and time; returns how many rows remain. An open-addressing table of pair keys,
         * sized once.
         */
        static int fold(int[] u, int[] m, float[] r, long[] t, int n, int items) {
            int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, n + n / 2L))) << 1;
            long[] keys = new long[cap];
            int[] at = new int[cap];
            Arrays.fill(keys, -1);
            int mask = cap - 1;
            int kept = 0;
            for (int i = 0; i < n; i++) {
                long key = (long) u[i] * items + m[i];
                int h = (int) (mix(key) & mask);
                while (keys[h] != -1 && keys[h] != key) {
                    h = (h + 1) & mask;
                }
                if (keys[h] == key) {
                    int p = at[h];
                    r[p] = r[i];
                    t[p] = t[i];
                    continue;
                }
                keys[h] = key;
                at[h] = kept;
                u[kept] = u[i];
                m[kept] = m[i];
                r[kept] = r[i];
                t[kept] = t[i];
                kept++;
            }
            return kept;
        }

        private static long mix(long x) {
            x ^= x >>> 33;
            x *= 0xff51afd7ed558ccdL;
            x ^= x >>> 33;
            return x;
        }
    }

    private static final class Table implements Rows {
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
        Table(double step, double min, double max) {
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
                String user = numericIds ? id(file, line, us[i], userCol) : required(file, line, us[i], userCol);
                String movie = numericIds ? id(file, line, ms[i], itemCol) : required(file, line, ms[i], itemCol);
                // messages quote the cell as written (the table holds "NaN" as missing, "1e308" as 1.0E308)
                String read = rs[i];
                java.util.function.Supplier<String> written = () -> {
                    String raw = rawCell(file, cs, line, t.names(), ratingCol);
                    return raw != null ? raw : read == null ? "" : read;
                };
                add(file, line, user, movie, rs[i], written, ratingCol, ts == null ? null : ts[i], timeCol);
            }
        }

        private static String required(Path file, long line, String v, String name) {
            if (v == null) {
                throw DataException.at(file, line, name, "empty");
            }
            return v;
        }

        void add(Path file, long line, String user, String movie, String ratingText, java.util.function.Supplier<String> written,
                 String ratingField, String ts, String tsField) {
            double parsed = CsvTable.parseNumber(ratingText);
            if (Double.isNaN(parsed)) {
                throw DataException.at(file, line, ratingField, "expected a number, got '" + written.get() + "'");
            }
            if (Math.abs(parsed) > MAX_RATING) {
                // a float holds 1e308 as Infinity, and a y range that large trains to NaN: the data is wrong
                throw DataException.at(file, line, ratingField, "rating " + written.get() + " is not a rating (at most "
                        + (long) MAX_RATING + " either way)");
            }
            float r = (float) parsed;
            if (!Double.isNaN(step)) {
                boolean onScale = r >= min && r <= max && Math.abs(r / step - Math.rint(r / step)) < 1e-6;
                if (!onScale) {
                    throw DataException.at(file, line, ratingField, "rating " + written.get() + " is outside the scale "
                            + (step == 0.5 ? "0.5..5 in half stars" : "1..5 in whole stars"));
                }
            }
            long t = 0;
            if (tsField != null) {
                try {
                    t = Long.parseLong(ts == null ? "" : ts);
                } catch (NumberFormatException e) {
                    throw DataException.at(file, line, tsField, "expected whole seconds, got '" + ts + "'");
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
                throw DataException.inFile(source, "no ratings in the ratings file");
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
            IdVocab uv = IdVocab.of(new java.util.HashSet<>(users));
            IdVocab mv = IdVocab.of(new java.util.HashSet<>(movies));
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
    }
}

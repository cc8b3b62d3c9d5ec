package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.data.ParquetTable;
import io.github.fastdl4j.common.data.TextFiles;

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
 * A malformed line, a rating outside the scale or a missing file is one {@link BadInputException}
 * naming file, line and field. Duplicate (user, item) pairs keep the last rating, with a warning.
 */
public final class RatingsLoader {

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
        if (Files.isRegularFile(dir) && ParquetTable.isParquet(dir)) {
            return ParquetRatings.load(dir);
        }
        if (Files.isRegularFile(dir)) {
            throw BadInputException.inFile(dir, "a folder of ratings is needed here (give a single table with --csv)");
        }
        if (!Files.isDirectory(dir)) {
            throw Files.exists(dir)
                    ? BadInputException.inFile(dir, "not a folder (a device, pipe or socket, such as /dev/null); a folder of ratings is needed")
                    : BadInputException.inFile(dir, "folder not found");
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
        if (Files.isRegularFile(dir.resolve("ratings.parquet"))) {
            return ParquetRatings.load(dir.resolve("ratings.parquet"));
        }
        if (ParquetTable.isParquet(dir)) {
            return ParquetRatings.load(dir); // a folder of Parquet parts, as Spark writes a table
        }
        throw BadInputException.inFile(dir, "no ratings found: expected u.data (ml-100k layout), ratings.dat (ml-1m, ml-10m) or "
                + "ratings.csv (newer MovieLens layout) in this folder, or give any table with --csv");
    }

    private static CsvTable table(Path file, String sep, boolean header, Charset cs, List<String> names) {
        CsvTable.Format f = CsvTable.Format.csv().separator(sep).charset(cs);
        if (!header) {
            f = f.noHeader(names);
        }
        CsvTable t = CsvTable.read(file, f);
        if (!header && t.names().size() != names.size()) {
            throw BadInputException.inFile(file, "expected " + names.size() + " fields per line (" + String.join(", ", names) + ")");
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
            return new StreamedRows(fast, min, max);
        }
        CsvTable t = names != null ? table(data, sep, false, cs, names)
                : header(data, CsvTable.read(data, CsvTable.Format.csv().separator(sep).charset(cs)), want);
        TableRows ratings = new TableRows(step, min, max);
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
                        throw BadInputException.at(item, it.line(i), ML100K_GENRES.get(g) + " flag", "expected 0 or 1, got '" + flag + "'");
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
        if (ParquetTable.isParquet(c.file())) {
            return ParquetRatings.fromTable(c);
        }
        CsvTable.Format f = c.format().types(c.title() == null ? Map.of(c.user(), CsvTable.Type.TEXT, c.item(), CsvTable.Type.TEXT)
                : Map.of(c.user(), CsvTable.Type.TEXT, c.item(), CsvTable.Type.TEXT, c.title(), CsvTable.Type.TEXT));
        CsvTable t = CsvTable.read(c.file(), f);
        List<String> want = new ArrayList<>(List.of(c.user(), c.item(), c.rating()));
        if (c.title() != null) {
            want.add(c.title());
        }
        header(c.file(), t, want);
        TableRows ratings = new TableRows(Double.NaN, Double.NaN, Double.NaN);
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
            readItemTitles(c, movies);
            files.add(c.items());
        }
        return ratings.build(c.file(), movies, Map.of(), List.of(), checksum(files));
    }

    /** The titles of {@code --items} (a CSV table of item id and title, whatever the ratings' format) into {@code movies}. */
    static void readItemTitles(Columns c, Map<String, MovieInfo> movies) {
        CsvTable it = header(c.items(), CsvTable.read(c.items(), CsvTable.Format.csv().charset(c.format().charset())
                .types(Map.of(c.itemId(), CsvTable.Type.TEXT, c.itemTitle(), CsvTable.Type.TEXT))), List.of(c.itemId(), c.itemTitle()));
        String[] ids = it.texts(c.itemId());
        String[] titles = it.texts(c.itemTitle());
        for (int i = 0; i < it.rows(); i++) {
            if (ids[i] == null) {
                throw BadInputException.at(c.items(), it.line(i), c.itemId(), "empty");
            }
            if (titles[i] != null) {
                movies.put(ids[i], new MovieInfo(titles[i], yearOfTitle(titles[i]), List.of()));
            }
        }
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
        return MoreRatings.withMore(base, files);
    }

    static CsvTable header(Path file, CsvTable t, List<String> want) {
        for (String col : want) {
            if (!t.has(col)) {
                throw BadInputException.at(file, 1, col, "missing column; the header must name " + want + ", found " + t.names());
            }
        }
        return t;
    }

    static void readMovies(Path file, CsvTable mt, String idCol, String titleCol, String genreCol,
                           Map<String, MovieInfo> movies, LinkedHashMap<String, Boolean> genreNames) {
        String[] ids = mt.texts(idCol);
        String[] titles = mt.texts(titleCol);
        String[] genresCol = mt.texts(genreCol);
        for (int i = 0; i < mt.rows(); i++) {
            String title = titles[i];
            if (title == null) {
                throw BadInputException.at(file, mt.line(i), titleCol, "empty");
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
                throw BadInputException.at(file, line, genderCol, "expected M or F, got '" + gender + "'");
            }
            String occupation = occupations[i] == null ? "" : occupations[i];
            if (occupationCodes != null) {
                int code = parseInt(file, line, occupationCol, occupation);
                if (code < 0 || code >= occupationCodes.size()) {
                    throw BadInputException.at(file, line, occupationCol, "expected a code 0.." + (occupationCodes.size() - 1)
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

    static Integer yearOfTitle(String title) {
        Matcher m = YEAR_IN_TITLE.matcher(title);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /**
     * MovieLens ids are whole numbers: anything else is a damaged line, not a new user. The id is
     * kept as written without leading zeros, so "007" and "7" are one user.
     */
    static String id(Path file, long line, String v, String name) {
        if (v == null) {
            throw BadInputException.at(file, line, name, "empty");
        }
        try {
            long id = Long.parseLong(v);
            if (id < 0) {
                throw new NumberFormatException();
            }
            return Long.toString(id);
        } catch (NumberFormatException e) {
            throw BadInputException.at(file, line, name, "expected a whole-number id, got '" + v + "'");
        }
    }

    private static int parseInt(Path file, long line, String name, String v) {
        try {
            return Integer.parseInt(v == null ? "" : v.strip());
        } catch (NumberFormatException e) {
            throw BadInputException.at(file, line, name, "expected an integer, got '" + v + "'");
        }
    }


    static String checksum(List<Path> files) {
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
}

package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tables of two or three movies through every command (each works, or says in one line why the
 * data is too small, before training), the --rated checks, and the ratings options that contradict
 * each other (usage errors before anything is read).
 */
class SmallDataAndOptionsTest {

    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.run(new CollabMain(), "collab", args);
    }

    /** A table of {@code users} users who each rate every one of {@code movies} movies (ids a, b, c...). */
    private Path table(String name, int users, int movies) throws IOException {
        StringBuilder sb = new StringBuilder("user,item,rating\n");
        for (int u = 1; u <= users; u++) {
            for (int m = 0; m < movies; m++) {
                sb.append(u).append(',').append((char) ('a' + m)).append(',').append(1 + (u + 2 * m) % 5).append('\n');
            }
        }
        return Files.writeString(tmp.resolve(name), sb.toString());
    }

    private static void oneErrorLine(CliRun r) {
        List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
        assertEquals(1, err.size(), r.err());
        assertTrue(err.get(0).startsWith("error: "), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    }

    private Path train(Path csv, String name) {
        Path out = tmp.resolve(name);
        CliRun t = run("train", "--csv", csv.toString(), "--epochs", "1", "--factors", "4", "--out", out.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        return out;
    }

    @Test
    void twoMoviesTrainWithoutAPcaChartAndSaySoBeforeTraining() throws IOException {
        Path out = train(table("two.csv", 5, 2), "two");
        CliRun t = run("train", "--csv", tmp.resolve("two.csv").toString(), "--epochs", "1", "--factors", "4", "--out",
                tmp.resolve("two-again").toString());
        String note = "note: no movie_pca.png: a PCA chart of the movie factors needs at least 3 movies, the data has 2";
        assertTrue(t.out().contains(note), t.out());
        assertTrue(t.out().indexOf(note) < t.out().indexOf("train_loss"), "said before training: " + t.out());
        assertTrue(Files.exists(out.resolve("charts").resolve("movie_bias.png")));
        assertFalse(Files.exists(out.resolve("charts").resolve("movie_pca.png")));
        CliRun in = run("interpret", "--model-file", out.resolve("model.zip").toString(), "--out", tmp.resolve("i2").toString());
        assertEquals(0, in.code(), in.err());
        assertTrue(in.out().contains("PCA of the movie factors (2 most-rated movies): explained variance 1.000\n"), in.out());
        assertTrue(in.out().contains("(the model knows 2 movies and 5 users: lists hold at most that many, fewer than -k 10)"), in.out());
    }

    @Test
    void threeMoviesEveryCommandAnswersOrSaysWhyInOneLine() throws IOException {
        Path model = train(table("three.csv", 4, 3), "three").resolve("model.zip");
        CliRun in = run("interpret", "--model-file", model.toString(), "-k", "3", "--out", tmp.resolve("i3").toString());
        assertEquals(0, in.code(), in.err());
        // 3 movies span 2 directions: two components, and one title at each end of each
        assertTrue(in.out().matches("(?s).*explained variance \\d\\.\\d{3}, \\d\\.\\d{3}\n.*"), in.out());
        assertEquals(1, in.out().lines().filter(l -> l.startsWith("PC1 low:  ")).filter(l -> !l.contains(";")).count(), in.out());
        assertTrue(Files.size(tmp.resolve("i3").resolve("movie_pca.png")) > 1000);

        CliRun sim = run("similar", "--movie-id", "a", "--model-file", model.toString());
        assertEquals(1, sim.code(), sim.out());
        oneErrorLine(sim);
        assertTrue(sim.err().contains("no other movie has at least 20 training ratings (the most-rated other has 4): "
                + "give --min-ratings 4 or less"), sim.err());
        CliRun sim0 = run("similar", "--movie-id", "a", "--min-ratings", "4", "--model-file", model.toString());
        assertEquals(0, sim0.code(), sim0.err());
        assertEquals(2, sim0.out().lines().filter(l -> l.matches("\\s+-?\\d\\.\\d{4}  movie [bc]")).count(), sim0.out());
        assertTrue(sim0.out().contains("(only 2 other movies with at least 4 ratings: fewer than -k 10)"), sim0.out());

        CliRun all = run("recommend", "--user", "1", "--model-file", model.toString());
        assertEquals(1, all.code(), all.out());
        oneErrorLine(all);
        assertTrue(all.err().contains("user 1 rated every movie the model knows (3): there is nothing left to recommend"), all.err());
        CliRun every = run("recommend", "--rated", "id:a=4,id:b=3,id:c=2", "--model-file", model.toString());
        assertEquals(1, every.code(), every.out());
        oneErrorLine(every);
        assertFalse(every.out().contains("folded in"), "refused before the fold-in: " + every.out());
        CliRun one = run("recommend", "--rated", "id:a=4", "--model-file", model.toString());
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().contains("(only 2 unrated movies: fewer than -k 10)"), one.out());

        CliRun cold = run("evaluate", "--csv", tmp.resolve("three.csv").toString(), "--protocol", "cold-movies");
        assertEquals(1, cold.code(), cold.out());
        oneErrorLine(cold);
        assertTrue(cold.err().contains("cold-movies holds out movies with at least 20 ratings (at least 20, and more than "
                + "--given 5); the most-rated movie here has 4"), cold.err());
        assertFalse(cold.out().contains("protocol cold-movies"), "refused before the protocol's table: " + cold.out());
        CliRun coldUsers = run("evaluate", "--csv", tmp.resolve("three.csv").toString(), "--protocol", "cold-users");
        assertEquals(1, coldUsers.code(), coldUsers.out());
        assertTrue(coldUsers.err().contains("the most-rated user here has 3"), coldUsers.err());
    }

    @Test
    void oneMovieHasNoPcaAndNothingToCompare() throws IOException {
        Path model = train(table("one.csv", 6, 1), "one").resolve("model.zip");
        CliRun in = run("interpret", "--model-file", model.toString(), "--out", tmp.resolve("i1").toString());
        assertEquals(0, in.code(), in.err());
        assertTrue(in.out().contains("(no PCA of the movie factors: the model knows 1 movie)"), in.out());
        CliRun sim = run("similar", "--movie-id", "a", "--min-ratings", "0", "--model-file", model.toString());
        assertEquals(1, sim.code());
        oneErrorLine(sim);
        assertTrue(sim.err().contains("the model knows one movie: there is nothing to compare it with"), sim.err());
    }

    /** A factor count of 1 has one component however many movies: no chart, and no crash in interpret. */
    @Test
    void oneFactorGivesOneComponent() throws IOException {
        Path out = tmp.resolve("f1");
        CliRun t = run("train", "--csv", table("four.csv", 5, 4).toString(), "--epochs", "1", "--factors", "1", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("note: no movie_pca.png: a PCA chart of the movie factors needs at least 2 factors, the model has 1"),
                t.out());
        CliRun in = run("interpret", "--model-file", out.resolve("model.zip").toString(), "--out", tmp.resolve("if1").toString());
        assertEquals(0, in.code(), in.err());
        assertTrue(in.out().contains("explained variance 1.000\n"), in.out());
    }

    @Test
    void ratedValuesOffTheScaleAndMoviesRatedTwiceAreUsageErrors() throws IOException {
        Path model = train(table("rated.csv", 5, 4), "rated").resolve("model.zip");
        String[][] cases = {
                {"id:a=99", "--rated: 'id:a' is rated 99, outside the model's ratings 1..5"},
                {"id:a=4,id:b=0.5", "--rated: 'id:b' is rated 0.5, outside the model's ratings 1..5"},
                {"id:a=-3", "--rated: 'id:a' is rated -3, outside the model's ratings 1..5"},
                {"id:a=4,ID:A=2", "--rated: 'ID:A' is rated twice: give each movie once"},
                {"id:a=4,movie a=2", "--rated: 'id:a' and 'movie a' are the same movie, movie a [a]: give each movie once"}};
        for (String[] c : cases) {
            CliRun r = run("recommend", "--rated", c[0], "--model-file", model.toString());
            assertEquals(2, r.code(), c[0] + ": " + r.out() + r.err());
            oneErrorLine(r);
            assertTrue(r.err().contains(c[1]), c[0] + ": " + r.err());
            assertFalse(r.out().contains("folded in"), r.out());
        }
        CliRun ends = run("recommend", "--rated", "id:a=1,id:b=5", "-k", "2", "--model-file", model.toString());
        assertEquals(0, ends.code(), "the scale's own ends are ratings: " + ends.err());
    }

    /** Each contradiction is exit 2 and one line, and the data (a folder that does not exist) is never read. */
    @Test
    void contradictoryRatingsOptionsAreUsageErrorsBeforeDataLoads() {
        String nowhere = tmp.resolve("no-data").toString();
        String csv = tmp.resolve("no.csv").toString();
        String[][] cases = {
                {"--csv and --ratings both name the ratings", "--csv", csv, "--ratings", nowhere},
                {"--csv and --data-dir both name the ratings", "--csv", csv, "--data-dir", nowhere},
                {"--ratings and --data-dir both name the ratings", "--ratings", nowhere, "--data-dir", nowhere},
                {"--user-col describes the table of --csv, and no --csv is given", "--user-col", "u", "--data-dir", nowhere},
                {"--no-header describes the table of --csv", "--no-header", "--ratings", nowhere},
                {"--sep describes the table of --csv", "--sep", ";", "--ratings", nowhere},
                {"--items describes the table of --csv", "--items", csv, "--ratings", nowhere},
                {"--item-title-col describes the table of --items", "--csv", csv, "--item-title-col", "t"},
                {"--user-col and --item-col both name column 'rating'", "--csv", csv, "--user-col", "rating", "--item-col", "rating"},
                {"--item-col and --rating-col both name column 'item'", "--csv", csv, "--rating-col", "item"},
                {"--user-col and --title-col both name column 'user'", "--csv", csv, "--title-col", "user"}};
        for (String cmd : new String[]{"train", "lr-find", "bench", "evaluate"}) {
            for (String[] c : cases) {
                String[] args = new String[c.length];
                args[0] = cmd;
                System.arraycopy(c, 1, args, 1, c.length - 1);
                List<String> argv = new ArrayList<>(List.of(args));
                argv.addAll(List.of("--out", tmp.resolve("o").toString()));
                if (cmd.equals("bench") || cmd.equals("evaluate")) {
                    argv.subList(argv.size() - 2, argv.size()).clear(); // no --out there
                }
                CliRun r = run(argv.toArray(String[]::new));
                assertEquals(2, r.code(), String.join(" ", argv) + ": " + r.out() + r.err());
                assertEquals(1, r.err().strip().lines().count(), r.err());
                assertTrue(r.err().startsWith("error: " + c[0]), String.join(" ", argv) + ": " + r.err());
                assertFalse(r.out().contains("rating scale"), "no data read: " + r.out());
            }
        }
        assertFalse(Files.exists(tmp.resolve("o")), "nothing written");
    }

    /** What the file says, quoted: a missing-value marker in the rating column is not "null". */
    @Test
    void aNonFiniteRatingIsQuotedAsWritten() throws IOException {
        for (String bad : new String[]{"NaN", "nan", "Infinity", "-Infinity", "NA", ""}) {
            Path csv = Files.writeString(tmp.resolve("bad.csv"), "user,item,rating\n1,a,4\n2,\"b\",\"" + bad + "\"\n3,c,2\n");
            CliRun r = run("train", "--csv", csv.toString(), "--out", tmp.resolve("bad-run").toString());
            assertEquals(1, r.code(), r.out());
            oneErrorLine(r);
            assertTrue(r.err().contains(csv + ":3: field 'rating': expected a number, got '" + bad + "'"), bad + ": " + r.err());
        }
        // a number too large for a rating (a float holds 1e308 as Infinity): refused, not trained to NaN
        Path huge = Files.writeString(tmp.resolve("huge.csv"), "user,item,rating\n1,a,4\n2,b,1e308\n3,c,2\n");
        CliRun h = run("train", "--csv", huge.toString(), "--out", tmp.resolve("huge-run").toString());
        assertEquals(1, h.code(), h.out());
        oneErrorLine(h);
        assertTrue(h.err().contains(huge + ":3: field 'rating': rating 1e308 is not a rating (at most 999999 either way)"), h.err());
        Path dir = Files.createDirectories(tmp.resolve("ml"));
        Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,NaN,2\n");
        CliRun r = run("train", "--ratings", dir.toString(), "--out", tmp.resolve("ml-run").toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("ratings.csv:3: field 'rating': expected a number, got 'NaN'"), r.err());
    }

    /** A Latin-1 movies.csv in a MovieLens folder: read with --encoding, as a --csv table is. */
    @Test
    void encodingIsHonouredForTheFilesOfAMovieLensFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("latin1"));
        Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,3.5,2\n2,1,5.0,3\n");
        Files.write(dir.resolve("movies.csv"), "movieId,title,genres\n1,Amélie (2001),Comedy\n2,Le Dîner de cons (1998),Comedy\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Ratings latin = load("--ratings", dir.toString(), "--encoding", "ISO-8859-1");
        assertEquals("Amélie (2001)", latin.title(latin.movieVocab().index("1")));
        assertEquals("Le Dîner de cons (1998)", latin.title(latin.movieVocab().index("2")));
        // without it the release's UTF-8: the Latin-1 byte is named, not turned into a replacement character
        BadInputException e = assertThrows(BadInputException.class,
                () -> load("--ratings", dir.toString()));
        assertTrue(e.getMessage().contains("movies.csv:2"), e.getMessage());
        // the same folder given as --data-dir
        Ratings viaDataDir = load("--data-dir", dir.toString(), "--encoding", "ISO-8859-1");
        assertEquals("Amélie (2001)", viaDataDir.title(viaDataDir.movieVocab().index("1")));
    }

    @CommandLine.Command(name = "probe")
    static final class Probe implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        CommonOptions common;
        @CommandLine.Mixin
        RatingsOptions source;

        @Override
        public void run() {
        }
    }

    /** The ratings as a command loads them: options parsed, checked, then read. */
    private static Ratings load(String... args) {
        Probe p = new Probe();
        CommandLine cl = new CommandLine(p);
        cl.parseArgs(args);
        p.source.check(cl);
        return p.source.load(p.common);
    }
}

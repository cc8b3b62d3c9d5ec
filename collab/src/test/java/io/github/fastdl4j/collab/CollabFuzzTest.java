package io.github.fastdl4j.collab;

import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Fuzz;
import io.github.fastdl4j.common.testing.ParquetFixtures;
import io.github.fastdl4j.common.testing.RealData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mutated MovieLens files and model zips of every collab kind: each is loaded (or used by a
 * command), and must either work or be refused with one line naming the file; never a stack trace,
 * an OutOfMemoryError or a file written. {@code -Dfastdl4j.fuzz=N} tries N inputs per kind.
 */
@Tag("slow")
class CollabFuzzTest {

    @TempDir
    Path tmp;

    private static byte[] head(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        return (String.join("\n", all.subList(0, Math.min(lines, all.size()))) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertNoFailures(List<Fuzz.Report> reports) {
        List<String> failures = new ArrayList<>();
        reports.forEach(r -> r.failures().forEach(f -> failures.add(r.kind() + " #" + f)));
        assertEquals(List.of(), failures);
    }

    /** Copies {@code files} of the real ml-100k into a folder, replacing {@code name} with the mutant, and loads it. */
    private Fuzz.Target loads(Path dir, String name) {
        return bytes -> {
            Files.write(dir.resolve(name), bytes);
            Ratings.load(dir);
        };
    }

    /** Outputs equal to inputs, however spelled: every writing command refuses them and changes nothing. */
    @Test
    void outputsEqualToInputsAreRefusedAndChangeNothing() throws IOException {
        Path ratings = SyntheticRatings.write(tmp.resolve("syn"), 40, 20, 8, 2);
        Path run = tmp.resolve("run");
        assertEquals(0, CliRun.run(new CollabMain(), "collab", "train", "--ratings", ratings.toString(), "--epochs", "1",
                "--factors", "4", "--out", run.toString()).code());
        Path model = run.resolve("model.zip");
        List<Fuzz.Command> commands = List.of(
                new Fuzz.Command(List.of("train", "--ratings", ratings.toString(), "--epochs", "1"), List.of(ratings)),
                new Fuzz.Command(List.of("lr-find", "--ratings", ratings.toString()), List.of(ratings)),
                new Fuzz.Command(List.of("train", "--csv", ratings.resolve("u.data").toString(), "--sep", "\t", "--no-header"),
                        List.of(ratings.resolve("u.data"), ratings)),
                new Fuzz.Command(List.of("interpret", "--model-file", model.toString()), List.of(model, run)));
        assertNoFailures(List.of(Fuzz.outputsEqualToInputs("--out = an input (collab)", tmp.resolve("links"), commands,
                args -> CliRun.run(new CollabMain(), "collab", args))));
    }

    @Test
    void movieLensFilesAreLoadedOrRefusedInOneLine() throws IOException {
        Path real = RealData.require("ml-100k");
        Path ml = Files.createDirectories(tmp.resolve("ml"));
        byte[] data = head(real.resolve("u.data"), 2000);
        byte[] item = head(real.resolve("u.item"), 400);
        byte[] user = head(real.resolve("u.user"), 943);
        Files.write(ml.resolve("u.data"), data);
        Files.write(ml.resolve("u.item"), item);
        Files.write(ml.resolve("u.user"), user);
        List<Fuzz.Report> reports = new ArrayList<>();
        reports.add(Fuzz.run("u.data", 1, rng -> Fuzz.mutate(data, rng), "u.data", loads(ml, "u.data")));
        Files.write(ml.resolve("u.data"), data);
        reports.add(Fuzz.run("u.item", 2, rng -> Fuzz.mutate(item, rng), "u.item", loads(ml, "u.item")));
        Files.write(ml.resolve("u.item"), item);
        reports.add(Fuzz.run("u.user", 3, rng -> Fuzz.mutate(user, rng), "u.user", loads(ml, "u.user")));

        // the newer CSV layout, made from the same real ratings and titles
        Path csv = Files.createDirectories(tmp.resolve("csv"));
        StringBuilder ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        new String(data, StandardCharsets.ISO_8859_1).lines().forEach(l -> ratings.append(l.replace('\t', ',')).append('\n'));
        StringBuilder movies = new StringBuilder("movieId,title,genres\n");
        new String(item, StandardCharsets.ISO_8859_1).lines().forEach(l -> {
            String[] f = l.split("\\|");
            movies.append(f[0]).append(",\"").append(f[1].replace("\"", "\"\"")).append("\",Drama|Comedy\n");
        });
        byte[] r = ratings.toString().getBytes(StandardCharsets.UTF_8);
        byte[] m = movies.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(csv.resolve("ratings.csv"), r);
        Files.write(csv.resolve("movies.csv"), m);
        reports.add(Fuzz.run("ratings.csv", 4, rng -> Fuzz.mutate(r, rng), "ratings.csv", loads(csv, "ratings.csv")));
        Files.write(csv.resolve("ratings.csv"), r);
        reports.add(Fuzz.run("movies.csv", 5, rng -> Fuzz.mutate(m, rng), "movies.csv", loads(csv, "movies.csv")));

        // the same ratings as Parquet (what Spark and pandas write): a damaged, cut or garbled file is one line
        Path pq = Files.createDirectories(tmp.resolve("pq"));
        List<Object[]> rows = new ArrayList<>();
        new String(data, StandardCharsets.ISO_8859_1).lines().forEach(l -> {
            String[] f = l.split("\t");
            rows.add(new Object[]{Integer.parseInt(f[0]), Integer.parseInt(f[1]), Float.parseFloat(f[2]), Long.parseLong(f[3])});
        });
        byte[] p = Files.readAllBytes(ParquetFixtures.write(tmp.resolve("ratings.parquet"), "message r { required int32 userId; "
                + "required int32 movieId; required float rating; required int64 timestamp; }", rows));
        reports.add(Fuzz.run("ratings.parquet", 6, rng -> Fuzz.mutate(p, rng), "ratings.parquet", loads(pq, "ratings.parquet")));
        assertNoFailures(reports);
    }

    @Test
    void modelZipsOfEveryKindAreUsedOrRefusedInOneLine() throws IOException {
        Path data = SyntheticRatings.write(tmp.resolve("syn"), 40, 30, 12, 1);
        List<Fuzz.Report> reports = new ArrayList<>();
        long seed = 10;
        for (CollabKind kind : CollabKind.values()) {
            Path run = tmp.resolve("run-" + kind.cliName());
            CliRun t = CliRun.run(new CollabMain(), "collab", "train", "--model", kind.cliName(), "--ratings", data.toString(),
                    "--epochs", "1", "--factors", "4", "--layers", "8", "--bs", "32", "--out", run.toString());
            assertEquals(0, t.code(), t.err());
            byte[] zip = Files.readAllBytes(run.resolve("model.zip"));
            Path mutant = tmp.resolve(kind.cliName() + "-mutant.zip");
            Path out = tmp.resolve("never-written");
            reports.add(Fuzz.run("model.zip (" + kind.cliName() + ")", seed++,
                    rng -> rng.nextInt(4) == 0 ? Fuzz.mutate(zip, rng) : Fuzz.mutateZip(zip, rng), mutant.getFileName().toString(),
                    bytes -> {
                        Files.write(mutant, bytes);
                        command(mutant, "recommend", "--user", "3", "-k", "3", "--model-file", mutant.toString());
                        command(mutant, "similar", "--movie-id", "5", "-k", "3", "--model-file", mutant.toString());
                        command(mutant, "interpret", "-k", "3", "--model-file", mutant.toString(), "--out", out.toString());
                    }));
        }
        assertNoFailures(reports);
    }

    /**
     * Tiny tables (1 to 4 users and movies, some cells missing, a few ratings non-finite, empty or
     * far off the others) through train and then every command on the model, with {@code --rated}
     * values on and off the model's scale: each works, or says in one line why (exit 1 for the
     * data, 2 for an option), never a stack trace; a rating off the scale is always exit 2.
     */
    @Test
    void tinyTablesTrainOrSayWhyAndTheirModelsAnswerEveryCommand() throws IOException {
        Path csv = tmp.resolve("tiny.csv");
        String[] odd = {"NaN", "Infinity", "-Infinity", "", "nan", "1e308", "-5", "99", "4.5"};
        String[] rated = {"3", "99", "0", "-1", "1", "5", "2.5"};
        int[] run = {0};
        List<Fuzz.Report> reports = new ArrayList<>();
        reports.add(Fuzz.run("tiny ratings table", 21, rng -> {
            int users = 1 + rng.nextInt(4);
            int movies = 1 + rng.nextInt(4);
            StringBuilder sb = new StringBuilder("user,item,rating\n");
            List<String> what = new ArrayList<>(List.of(users + " users x " + movies + " movies"));
            for (int u = 1; u <= users; u++) {
                for (int m = 0; m < movies; m++) {
                    if (rng.nextInt(5) == 0) {
                        continue;
                    }
                    String r = String.valueOf(1 + rng.nextInt(5));
                    if (rng.nextInt(15) == 0) {
                        r = odd[rng.nextInt(odd.length)];
                        what.add("rating '" + r + "'");
                    }
                    sb.append(u).append(',').append((char) ('a' + m)).append(',').append(r).append('\n');
                }
            }
            return new Fuzz.Mutant(sb.toString().getBytes(StandardCharsets.UTF_8), String.join(", ", what));
        }, csv.getFileName().toString(), bytes -> {
            Files.write(csv, bytes);
            Path out = tmp.resolve("tiny-run-" + run[0]++);
            command(csv, "train", "--csv", csv.toString(), "--epochs", "1", "--factors", "2", "--bs", "4", "--out", out.toString());
            Path model = out.resolve("model.zip");
            String r = rated[run[0] % rated.length];
            // the model exists: every command answers, or refuses in one line (a refusal does not stop the others)
            refusedOrNot(csv, "interpret", "-k", "3", "--model-file", model.toString(), "--out", out.resolve("i").toString());
            refusedOrNot(csv, "similar", "--movie-id", "a", "--min-ratings", "0", "--model-file", model.toString());
            refusedOrNot(csv, "recommend", "--user", "1", "-k", "3", "--model-file", model.toString());
            CliRun fold = CliRun.run(new CollabMain(), "collab", "recommend", "--rated", "id:a=" + r, "-k", "3", "--model-file",
                    model.toString());
            double[] scale = CollabModel.load(model).ratingScale();
            double v = Double.parseDouble(r);
            if (!(v >= scale[0] && v <= scale[1]) && fold.code() != 2) {
                throw new AssertionError("--rated id:a=" + r + " off the scale " + scale[0] + ".." + scale[1] + " gave exit "
                        + fold.code() + ": " + fold.out() + fold.err());
            }
            refusedOrNot(csv, "recommend", "--rated", "id:a=" + r, "-k", "3", "--model-file", model.toString());
        }));
        assertNoFailures(reports);
    }

    /**
     * Runs a command on a mutant: success, or exit 1 with the backend line and one error line naming
     * the file (reported as a {@link BadInputException}); anything else is a failure.
     */
    /** {@link #command}, where a one-line refusal is an answer too (the caller goes on with other commands). */
    private static void refusedOrNot(Path file, String... args) {
        try {
            command(file, args);
        } catch (BadInputException refused) {
            // said why in one line: what the promise is
        }
    }

    /** The one-line refusals of data too small for a command (or for a model to have learnt anything from). */
    private static final Pattern TOO_SMALL = Pattern.compile("nothing left to recommend|nothing to "
            + "compare|no other movie has|ratings are too few for a training|unknown user");

    static void command(Path file, String... args) {
        CliRun r = CliRun.run(new CollabMain(), "collab", args);
        if (r.code() == 0) {
            return;
        }
        List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
        if (r.code() == 1 && err.size() == 1 && err.get(0).startsWith("error: ") && !r.err().contains("\tat ")) {
            // an unknown user or movie in a damaged model is the model's answer, not a crash; a table too
            // small for a command says why
            if (err.get(0).contains(file.getFileName().toString()) || err.get(0).contains("unknown") || TOO_SMALL.matcher(err.get(0)).find()) {
                throw new BadInputException(file.getFileName() + ": " + err.get(0));
            }
        }
        if (r.code() == 2 && err.size() == 1 && err.get(0).startsWith("error: --rated: ") && !r.err().contains("\tat ")) {
            throw new BadInputException(file.getFileName() + ": " + err.get(0)); // a rating off the scale: refused as an option
        }
        throw new AssertionError("exit " + r.code() + ": " + r.err());
    }
}

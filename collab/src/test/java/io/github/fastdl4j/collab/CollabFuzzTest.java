package io.github.fastdl4j.collab;

import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Fuzz;
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
     * Runs a command on a mutant: success, or exit 1 with the backend line and one error line naming
     * the file (reported as a {@link DataException}); anything else is a failure.
     */
    static void command(Path file, String... args) {
        CliRun r = CliRun.run(new CollabMain(), "collab", args);
        if (r.code() == 0) {
            return;
        }
        List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
        if (r.code() == 1 && err.size() == 1 && err.get(0).startsWith("error: ") && !r.err().contains("\tat ")) {
            // an unknown user or movie in a damaged model is the model's answer, not a crash
            if (err.get(0).contains(file.getFileName().toString()) || err.get(0).contains("unknown")) {
                throw new DataException(file.getFileName() + ": " + err.get(0));
            }
        }
        throw new AssertionError("exit " + r.code() + ": " + r.err());
    }
}

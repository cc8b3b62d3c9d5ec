package io.github.fastdl4j.serve.testing;

import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.tabular.cli.TabularMain;
import io.github.fastdl4j.tabular.testing.CensusTable;
import io.github.fastdl4j.vision.cli.VisionMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Small models of each module, trained once per test JVM by the modules' own train commands on
 * tiny generated data (collab: 60 users x 40 movies; tabular: 600 census rows; vision: one epoch
 * of the committed MNIST sample), in one runs folder; tests copy what they change.
 */
public final class TrainedRuns {

    public static final String COLLAB = "collab-dot";
    public static final String TABULAR = "tabular-census";
    public static final String VISION = "vision-mnist";

    private static Path root;

    private TrainedRuns() {
    }

    /** The folder holding the data and {@code runs/} with the three run folders. */
    public static synchronized Path root() {
        if (root == null) {
            try {
                Path r = Files.createTempDirectory("fastdl4j-serve-test");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(r)));
                Path ratings = SyntheticRatings.write(r.resolve("ratings"), 60, 40, 20, 7);
                train(new CollabMain(), "collab", "train", "--ratings", ratings.toString(), "--model", "dot", "--epochs", "4",
                        "--factors", "4", "--lr", "1e-2", "--out", r.resolve("runs").resolve(COLLAB).toString());
                Path census = r.resolve("census.csv");
                CensusTable.write(census, 600, 3);
                train(new TabularMain(), "tabular", "train", "--csv", census.toString(), "--y", "salary", "--epochs", "1",
                        "--out", r.resolve("runs").resolve(TABULAR).toString());
                train(new VisionMain(), "vision", "train", "--data", "sample", "--epochs", "1", "--bs", "100",
                        "--out", r.resolve("runs").resolve(VISION).toString());
                root = r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    public static Path runs() {
        return root().resolve("runs");
    }

    public static Path ratings() {
        return root().resolve("ratings");
    }

    public static Path census() {
        return root().resolve("census.csv");
    }

    public static Path model(String run) {
        return runs().resolve(run).resolve("model.zip");
    }

    private static void train(Object main, String job, String... args) {
        CliRun r = CliRun.run(main, job, args);
        if (r.code() != 0) {
            throw new IllegalStateException(job + " train failed: " + r.err() + r.out());
        }
    }

    /** Copies a folder tree (a run folder with its marker). */
    public static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public static void deleteTree(Path p) {
        try {
            RunFolder.deleteTree(p);
        } catch (IOException e) {
            // a temp folder left behind
        }
    }
}

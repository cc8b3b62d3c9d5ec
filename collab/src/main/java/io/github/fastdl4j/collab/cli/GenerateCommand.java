package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.data.RatingsGenerator;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.io.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Synthetic ratings with planted structure (ratings.csv layout) and truth.json (best possible MSE).")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--users", required = true, converter = Checks.PositiveInt.class, description = "Users.")
    int users;
    @Option(names = "--movies", required = true, converter = Checks.PositiveInt.class, description = "Movies.")
    int movies;
    @Option(names = "--ratings", required = true, converter = Checks.PositiveLong.class,
            description = "Ratings to write (each user rates at most half the movies).")
    long ratings;
    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--rank", converter = Checks.PositiveInt.class, description = "Rank of the planted tastes (default: ${DEFAULT-VALUE}).")
    int rank = 8;
    @Option(names = "--noise", converter = Checks.NonNegativeDouble.class,
            description = "Sigma of the noise before rounding to half stars (default: ${DEFAULT-VALUE}).")
    double noise = 0.5;
    @Option(names = "--out", required = true, description = "Folder to write.")
    Path out;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RatingsGenerator.Config config;
        try {
            config = new RatingsGenerator.Config(users, movies, ratings, seed, rank, noise);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
        try (RunFolder folder = RunFolder.open(out, spec.qualifiedName(" "), Set.of("ratings.csv", "truth.json"))) {
            long t0 = System.nanoTime();
            RatingsGenerator.Summary s = RatingsGenerator.write(config, folder.dir());
            folder.commit();
            System.out.printf(Locale.ROOT, "SIMULATED ratings: %,d rows (%d users, %d movies, rank %d, noise %.2f), mean %.3f, "
                        + "best possible MSE %.4f, in %.1f s; wrote %s and truth.json%n",
                    s.rows(), users, movies, rank, noise, s.mean(), s.bestMse(), (System.nanoTime() - t0) / 1e9,
                    folder.target().resolve(s.file().getFileName()));
        }
        return 0;
    }
}

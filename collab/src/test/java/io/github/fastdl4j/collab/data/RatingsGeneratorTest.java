package io.github.fastdl4j.collab.data;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RatingsGeneratorTest {

    static final RatingsGenerator.Config SMALL = RatingsGenerator.Config.of(200, 300, 6_000, 5);

    @Test
    void deterministicAndReadableByTheMovieLensLoader(@TempDir Path dir) throws IOException {
        RatingsGenerator.Summary a = RatingsGenerator.write(SMALL, dir.resolve("a"));
        RatingsGenerator.write(SMALL, dir.resolve("b"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/ratings.csv")), Files.readAllBytes(dir.resolve("b/ratings.csv")));
        assertEquals(6_000, a.rows());
        Ratings r = Ratings.load(dir.resolve("a"));
        assertEquals(6_000, r.size(), "no user rates a movie twice, so nothing is merged");
        Set<Long> pairs = new HashSet<>();
        for (int i = 0; i < r.size(); i++) {
            assertTrue(r.rating()[i] >= 0.5 && r.rating()[i] <= 5 && r.rating()[i] * 2 == Math.rint(r.rating()[i] * 2));
            pairs.add((long) r.user()[i] << 32 | r.movie()[i]);
        }
        assertEquals(6_000, pairs.size());
        String truth = Files.readString(dir.resolve("a/truth.json"));
        assertTrue(truth.contains("\"best_mse\""), truth);
        // the best MSE is below the noise variance (rounding to half stars and clipping only add
        // a little: a half-star bin has variance 1/48) and well above zero
        assertTrue(a.bestMse() > 0.2 && a.bestMse() < 0.25 + 1.0 / 48 + 0.01, "best mse " + a.bestMse());
    }

    @Test
    void popularityIsLongTailed(@TempDir Path dir) throws IOException {
        RatingsGenerator.write(SMALL, dir);
        Ratings r = Ratings.load(dir);
        int[] counts = new int[r.movieVocab().size()];
        for (int m : r.movie()) {
            counts[m]++;
        }
        int max = Arrays.stream(counts).max().orElseThrow();
        double mean = 6_000.0 / 300;
        assertTrue(max > 4 * mean, "the most rated movie has " + max + " ratings, the mean is " + mean);
    }

    @Test
    void varianceOfARoundedRatingMatchesSimulation() {
        NormalDistribution std = new NormalDistribution(null, 0, 1);
        Random r = new Random(3);
        for (double mu : new double[]{0.2, 2.37, 4.9}) {
            double s = 0, ss = 0;
            int n = 200_000;
            for (int i = 0; i < n; i++) {
                double v = RatingsGenerator.halfStar(mu + 0.5 * r.nextGaussian());
                s += v;
                ss += v * v;
            }
            double sampled = ss / n - (s / n) * (s / n);
            // 200k draws: the sampling error of a variance near 0.25 is ~0.001
            assertEquals(sampled, RatingsGenerator.variance(mu, 0.5, std), 0.005, "mu " + mu);
        }
    }

    @Test
    void impossibleRequestsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RatingsGenerator.Config.of(2, 4, 5, 1));
    }
}

package io.github.fastdl4j.collab.data;

import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.common.train.ModelArchive;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Synthetic ratings with planted structure, in the newer MovieLens layout ({@code ratings.csv}:
 * {@code userId,movieId,rating,timestamp}, half stars 0.5..5), so everything that reads
 * MovieLens reads them. The truth: {@code x = mean + user bias + movie bias + user . movie + noise}
 * with low-rank tastes, the rating is x rounded to the nearest half star and clipped to
 * 0.5..5. Movie popularity is long-tailed (70% of draws Zipf with exponent 0.9, 30% uniform) and
 * so is user activity (log-normal, at most half of the movies per user); no user rates a movie twice.
 *
 * <p>Written user by user, streaming: memory holds the parameters, not the ratings, so tens of
 * millions of rows are fine. {@code truth.json} records the parameters of the generator and
 * {@code best_mse}: the mean, over the written rows, of the variance of the rating given the
 * planted parameters (computed exactly over the half-star bins), the MSE of a perfect model.
 */
public final class RatingsGenerator {

    /** What to generate. */
    public record Config(int users, int movies, long ratings, long seed, int rank, double noise) {
        public Config {
            if (users < 1 || movies < 1 || ratings < 1) {
                throw new IllegalArgumentException("users, movies and ratings must be >= 1");
            }
            if (ratings > (long) users * (movies / 2)) {
                throw new IllegalArgumentException(ratings + " ratings need more users or movies: each user rates at most"
                        + " half of the " + movies + " movies, once each");
            }
            if (rank < 1 || !(noise >= 0)) {
                throw new IllegalArgumentException("rank must be >= 1 and noise >= 0");
            }
        }

        /** Defaults: rank 8, noise sigma 0.5. */
        public static Config of(int users, int movies, long ratings, long seed) {
            return new Config(users, movies, ratings, seed, 8, 0.5);
        }
    }

    /** What was written. */
    public record Summary(Path file, long rows, double mean, double bestMse) {
    }

    static final double MEAN = 3.5;
    static final double USER_BIAS_SD = 0.35;
    static final double MOVIE_BIAS_SD = 0.45;
    /** Per-factor sd, so that the dot product's sd is about 0.6 whatever the rank. */
    static double factorSd(int rank) {
        return Math.sqrt(0.6 / Math.sqrt(rank));
    }

    private RatingsGenerator() {
    }

    /** Generates into {@code dir/ratings.csv} and {@code dir/truth.json}, each written atomically. */
    public static Summary write(Config c, Path dir) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(c.seed());
        double sd = factorSd(c.rank());
        float[] userBias = new float[c.users()], movieBias = new float[c.movies()];
        float[] uf = new float[c.users() * c.rank()], mf = new float[c.movies() * c.rank()];
        for (int u = 0; u < c.users(); u++) {
            userBias[u] = (float) (USER_BIAS_SD * r.nextGaussian());
            for (int k = 0; k < c.rank(); k++) {
                uf[u * c.rank() + k] = (float) (sd * r.nextGaussian());
            }
        }
        for (int m = 0; m < c.movies(); m++) {
            movieBias[m] = (float) (MOVIE_BIAS_SD * r.nextGaussian());
            for (int k = 0; k < c.rank(); k++) {
                mf[m * c.rank() + k] = (float) (sd * r.nextGaussian());
            }
        }
        // popularity: Zipf over a random order of the movies; activity: log-normal per user
        int[] byRank = shuffled(c.movies(), r);
        double[] cdf = new double[c.movies()];
        double total = 0;
        for (int i = 0; i < c.movies(); i++) {
            total += 1 / Math.pow(i + 1, 0.9);
            cdf[i] = total;
        }
        long[] perUser = activity(c, r);
        NormalDistribution std = new NormalDistribution(null, 0, 1);
        long[] rows = new long[1];
        double[] sums = new double[2];
        AtomicFiles.writeText(dir.resolve("ratings.csv"), w -> {
            w.write("userId,movieId,rating,timestamp\n");
            StringBuilder line = new StringBuilder(48);
            for (int u = 0; u < c.users(); u++) {
                Set<Integer> seen = new HashSet<>();
                int n = (int) perUser[u];
                while (seen.size() < n) {
                    // 70% Zipf, 30% uniform: a long tail, and heavy users still find unseen movies quickly
                    int m = r.nextDouble() < 0.7 ? byRank[lowerBound(cdf, r.nextDouble() * cdf[cdf.length - 1])]
                            : r.nextInt(c.movies());
                    if (!seen.add(m)) {
                        continue;
                    }
                    double mu = MEAN + userBias[u] + movieBias[m];
                    for (int k = 0; k < c.rank(); k++) {
                        mu += uf[u * c.rank() + k] * mf[m * c.rank() + k];
                    }
                    double rating = halfStar(mu + c.noise() * r.nextGaussian());
                    sums[0] += rating;
                    sums[1] += variance(mu, c.noise(), std);
                    rows[0]++;
                    long ts = 1_000_000_000L + (long) (r.nextDouble() * 500_000_000L);
                    line.setLength(0);
                    line.append(u + 1).append(',').append(m + 1).append(',').append(rating).append(',').append(ts).append('\n');
                    w.append(line);
                }
            }
        });
        double bestMse = sums[1] / rows[0];
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("users", c.users());
        truth.put("movies", c.movies());
        truth.put("ratings", rows[0]);
        truth.put("seed", c.seed());
        truth.put("rank", c.rank());
        truth.put("noise_sigma", c.noise());
        truth.put("global_mean_parameter", MEAN);
        truth.put("user_bias_sd", USER_BIAS_SD);
        truth.put("movie_bias_sd", MOVIE_BIAS_SD);
        truth.put("factor_sd", sd);
        truth.put("popularity", "70% Zipf (exponent 0.9) over a random order of the movies, 30% uniform");
        truth.put("mean_rating", sums[0] / rows[0]);
        truth.put("best_mse", bestMse);
        AtomicFiles.writeString(dir.resolve("truth.json"), ModelArchive.JSON.writeValueAsString(truth));
        return new Summary(dir.resolve("ratings.csv"), rows[0], sums[0] / rows[0], bestMse);
    }

    /** Ratings per user: log-normal weights scaled to the total, at most one per movie. */
    private static long[] activity(Config c, Random r) {
        double[] w = new double[c.users()];
        double sum = 0;
        for (int u = 0; u < w.length; u++) {
            w[u] = Math.exp(r.nextGaussian());
            sum += w[u];
        }
        long[] n = new long[c.users()];
        long cap = Math.max(1, c.movies() / 2);
        long assigned = 0;
        for (int u = 0; u < w.length; u++) {
            n[u] = Math.min(cap, Math.max(1, (long) Math.floor(c.ratings() * w[u] / sum)));
            assigned += n[u];
        }
        // hand out (or take back) the rounding remainder one rating at a time, round robin
        int u = 0;
        while (assigned != c.ratings()) {
            if (assigned < c.ratings() && n[u] < cap) {
                n[u]++;
                assigned++;
            } else if (assigned > c.ratings() && n[u] > 1) {
                n[u]--;
                assigned--;
            }
            u = (u + 1) % n.length;
        }
        return n;
    }

    private static int[] shuffled(int n, Random r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static int lowerBound(double[] cdf, double x) {
        int i = Arrays.binarySearch(cdf, x);
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    /** x rounded to the nearest half star, clipped to 0.5..5. */
    static double halfStar(double x) {
        return Math.max(0.5, Math.min(5.0, Math.round(x * 2) / 2.0));
    }

    /** Variance of halfStar(mu + sigma z): the rating's irreducible error given the truth. */
    static double variance(double mu, double sigma, NormalDistribution std) {
        if (sigma == 0) {
            return 0;
        }
        double mean = 0, sq = 0;
        for (int k = 1; k <= 10; k++) {
            double v = k / 2.0;
            double lo = k == 1 ? Double.NEGATIVE_INFINITY : v - 0.25;
            double hi = k == 10 ? Double.POSITIVE_INFINITY : v + 0.25;
            double p = std.cumulativeProbability((hi - mu) / sigma) - std.cumulativeProbability((lo - mu) / sigma);
            mean += p * v;
            sq += p * v * v;
        }
        return sq - mean * mean;
    }
}

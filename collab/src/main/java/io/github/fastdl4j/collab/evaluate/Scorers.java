package io.github.fastdl4j.collab.evaluate;

import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * What a ranking ranks by: a model's score of every movie for a user, one user at a time or a
 * block of users at once (a tiled product of the factors, the same sums in the same order), for
 * {@link Evaluation#rank}.
 */
public final class Scorers {

    private Scorers() {
    }

    /**
     * Scores of every movie for a user: for the dot-product kinds straight from the factors and
     * biases (sigmoid_range keeps the order, so the ranking needs no more), otherwise the model's
     * predictions for every (user, movie) pair.
     */
    public static IntFunction<double[]> scorer(CollabModel m) {
        int nMovies = m.movies().size();
        CollabKind kind = m.kind();
        if (kind == CollabKind.DOT || kind == CollabKind.DOT_LINEAR || kind == CollabKind.DOT_LAYERS || kind == CollabKind.BPR) {
            double[][] uf = m.userFactors();
            double[][] mf = m.movieFactors();
            double[] ub = rankingUserBias(m, uf.length);
            double[] mb = rankingMovieBias(m);
            return user -> {
                double[] s = new double[nMovies];
                double[] a = uf[user];
                for (int j = 0; j < nMovies; j++) {
                    double dot = 0;
                    double[] b = mf[j];
                    for (int f = 0; f < a.length; f++) {
                        dot += a[f] * b[f];
                    }
                    s[j] = dot + ub[user] + mb[j];
                }
                return s;
            };
        }
        int[] movies = IntStream.range(0, nMovies).toArray();
        return user -> {
            int[] users = new int[nMovies];
            Arrays.fill(users, user);
            float[] p = m.predict(users, movies);
            double[] s = new double[nMovies];
            for (int j = 0; j < nMovies; j++) {
                s[j] = p[j];
            }
            return s;
        };
    }

    /**
     * Scores of a block of users for every movie, as one matrix product: {@code out[b * movies + j]}
     * is the score of movie {@code j} for {@code users[b]}, {@code b < count}. A block of users at
     * a time bounds the memory (block x movies, never users x movies) and lets the movie factors be
     * read once per block instead of once per user.
     */
    @FunctionalInterface
    public interface BlockScorer {
        void score(int[] users, int count, double[] out);
    }

    /** Users per block for a catalogue of {@code movies}: about 16 MB of scores (2M doubles), 1 to 256 users. */
    public static int blockSize(int movies) {
        return Math.max(1, Math.min(256, (1 << 21) / Math.max(1, movies)));
    }

    /**
     * {@link #scorer} for a block of users: for the dot-product kinds a blocked product of the user
     * and movie factors, each score summed in the same order as {@link #scorer}'s (factor 0 first,
     * then the user's bias, then the movie's), so the scores are the same bits and the lists the
     * same; the movies are taken in tiles that stay in the cache while every user of the block is
     * scored. Other kinds score user by user through the model.
     */
    public static BlockScorer blockScorer(CollabModel m) {
        int nMovies = m.movies().size();
        CollabKind kind = m.kind();
        if (!(kind == CollabKind.DOT || kind == CollabKind.DOT_LINEAR || kind == CollabKind.DOT_LAYERS || kind == CollabKind.BPR)) {
            IntFunction<double[]> one = scorer(m);
            return (users, count, out) -> {
                for (int b = 0; b < count; b++) {
                    System.arraycopy(one.apply(users[b]), 0, out, b * nMovies, nMovies);
                }
            };
        }
        double[][] uf = m.userFactors();
        double[][] mf = m.movieFactors();
        double[] ub = rankingUserBias(m, uf.length);
        double[] mb = rankingMovieBias(m);
        int factors = mf.length == 0 ? 0 : mf[0].length;
        double[][] byFactor = new double[factors][nMovies]; // the movie factors transposed: a factor's values over movies, contiguous
        for (int j = 0; j < nMovies; j++) {
            for (int f = 0; f < factors; f++) {
                byFactor[f][j] = mf[j][f];
            }
        }
        int tile = 1024;
        return (users, count, out) -> {
            Arrays.fill(out, 0, count * nMovies, 0.0);
            for (int j0 = 0; j0 < nMovies; j0 += tile) {
                int j1 = Math.min(nMovies, j0 + tile);
                for (int b = 0; b < count; b++) {
                    double[] a = uf[users[b]];
                    int o = b * nMovies;
                    for (int f = 0; f < factors; f++) {
                        double af = a[f];
                        double[] col = byFactor[f];
                        for (int j = j0; j < j1; j++) {
                            out[o + j] += af * col[j];
                        }
                    }
                    double bu = ub[users[b]];
                    for (int j = j0; j < j1; j++) {
                        out[o + j] = out[o + j] + bu + mb[j];
                    }
                }
            }
        };
    }

    /** The user biases a ranking adds: none for BPR (a user's bias cancels in its pairs; it ranks by u.m + b_m). */
    private static double[] rankingUserBias(CollabModel m, int users) {
        return m.kind() == CollabKind.BPR ? new double[users] : m.userBias();
    }

    /** The movie biases a ranking adds (BPR's own table: it has no rating-scale biases). */
    private static double[] rankingMovieBias(CollabModel m) {
        return m.kind() == CollabKind.BPR
                ? m.trainable().weights(CollabModel.MOVIE_BIAS).castTo(DataType.DOUBLE).toDoubleVector()
                : m.movieBias();
    }
}

package io.github.fastdl4j.collab.evaluate;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.common.module.AdamW;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleFunction;

/**
 * A recommender evaluation as the libraries publish it: for each fold of a {@link Protocol},
 * train on the fold's training ratings, then
 * <ul>
 *   <li>RMSE and MAE of the predicted ratings of the held-out ratings;</li>
 *   <li>top-N ranking: for every user with held-out ratings, rank every item the user did not
 *   rate in training; the relevant items are the user's held-out items rated at least
 *   {@code relevant} (4 by default); precision, recall, NDCG, MAP and hit rate at k
 *   ({@link Ranking}), and the catalogue coverage of all lists; the same for the popularity
 *   baseline (items by their number of training ratings).</li>
 * </ul>
 * With {@code onValid}, a validation part (10%, seeded) is carved from each fold's training
 * ratings and everything is measured on it: that is where settings are chosen, the test ratings
 * are not read.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /**
     * What to train and how to measure.
     *
     * @param kind     the model
     * @param factors  dot-product factors
     * @param layers   hidden layers (nn models), or null for their defaults
     * @param epochs   one-cycle epochs
     * @param lr       maximum learning rate
     * @param wd       weight decay
     * @param bs       batch size
     * @param adam     AdamW mode
     * @param seed     seed of the model, the shuffles, k-fold and the validation carve-out
     * @param k        list length of the ranking metrics
     * @param relevant the lowest held-out rating that counts as relevant
     * @param onValid  measure on a validation part of the training ratings instead of the test ratings
     * @param ensemble how many models (seeds {@code seed, seed+1, ...}) are trained; their predicted
     *                 ratings and their scores are averaged (1: one model)
     */
    public record Config(CollabKind kind, int factors, int[] layers, int epochs, double lr, double wd, int bs,
                         AdamW.Mode adam, long seed, int k, double relevant, boolean onValid, int ensemble) {

        public Config(CollabKind kind, int factors, int[] layers, int epochs, double lr, double wd, int bs, AdamW.Mode adam,
                      long seed, int k, double relevant, boolean onValid) {
            this(kind, factors, layers, epochs, lr, wd, bs, adam, seed, k, relevant, onValid, 1);
        }
    }

    /**
     * The ranking metrics of a model (or the baseline) on a fold.
     *
     * @param users the users with at least one relevant held-out item (the ones averaged)
     */
    public record RankingResult(double precision, double recall, double ndcg, double map, double hit, double coverage,
                                int users) {
    }

    /** A fold's numbers; {@code biasRmse} is the bias-only baseline's (mean + user bias + movie bias). */
    public record FoldResult(String fold, int trainRatings, int testRatings, double rmse, double mae, RankingResult model,
                             RankingResult popularity, double biasRmse, double trainSeconds, double rankSeconds) {
    }

    /**
     * The bias-only baseline's RMSE on {@code test} rows: the training mean, then a user and a
     * movie bias as regularised averages of what is left (three alternating rounds, each bias
     * shrunk by {@code lambda} pseudo-ratings), clipped to the rating scale. It is what a model
     * without tastes predicts; a new user or movie gets bias 0.
     */
    public static double biasBaselineRmse(Ratings r, int[] train, int[] test, double lambda) {
        double mean = 0;
        for (int row : train) {
            mean += r.rating()[row];
        }
        mean /= train.length;
        double[] bu = new double[r.userVocab().size()];
        double[] bm = new double[r.movieVocab().size()];
        for (int round = 0; round < 3; round++) {
            double[] sumM = new double[bm.length];
            int[] nM = new int[bm.length];
            for (int row : train) {
                sumM[r.movie()[row]] += r.rating()[row] - mean - bu[r.user()[row]];
                nM[r.movie()[row]]++;
            }
            for (int j = 0; j < bm.length; j++) {
                bm[j] = sumM[j] / (lambda + nM[j]);
            }
            double[] sumU = new double[bu.length];
            int[] nU = new int[bu.length];
            for (int row : train) {
                sumU[r.user()[row]] += r.rating()[row] - mean - bm[r.movie()[row]];
                nU[r.user()[row]]++;
            }
            for (int u = 0; u < bu.length; u++) {
                bu[u] = sumU[u] / (lambda + nU[u]);
            }
        }
        double se = 0;
        for (int row : test) {
            double p = Math.max(r.minRating(), Math.min(r.maxRating(), mean + bu[r.user()[row]] + bm[r.movie()[row]]));
            double d = p - r.rating()[row];
            se += d * d;
        }
        return Math.sqrt(se / test.length);
    }

    /** Evaluates {@code c} on every fold of {@code protocol}. */
    public static List<FoldResult> run(Ratings r, Protocol protocol, int folds, Config c) {
        List<FoldResult> out = new ArrayList<>();
        for (Protocol.Fold f : protocol.folds(r, folds, c.seed(), 5)) {
            out.add(fold(r, f, c));
        }
        return out;
    }

    /** One fold: train, then measure on its held-out ratings (or on a validation part of its training ratings). */
    public static FoldResult fold(Ratings r, Protocol.Fold fold, Config c) {
        Split split = c.onValid() ? validationPart(fold.split(), c.seed()) : fold.split();
        int[] test = split.valid();
        int[] u = new int[test.length];
        int[] mv = new int[test.length];
        for (int i = 0; i < test.length; i++) {
            u[i] = r.user()[test[i]];
            mv[i] = r.movie()[test[i]];
        }
        List<CollabModel> models = new ArrayList<>();
        double[] pred = new double[test.length];
        long t0 = System.nanoTime();
        for (int e = 0; e < Math.max(1, c.ensemble()); e++) {
            CollabLearner.Builder b = CollabLearner.of(r).model(c.kind()).nFactors(c.factors()).batchSize(c.bs())
                    .seed(c.seed() + e).adam(c.adam()).split(split).yRange(r.yRange()[0], r.yRange()[1]);
            if (c.layers() != null) {
                b.layers(c.layers());
            }
            CollabLearner learn = b.build();
            learn.learner().quiet(true);
            learn.fitOneCycle(c.epochs(), c.lr(), c.wd());
            models.add(learn.model());
            float[] p = learn.model().predict(u, mv);
            for (int i = 0; i < test.length; i++) {
                pred[i] += p[i] / Math.max(1, c.ensemble());
            }
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double se = 0;
        double ae = 0;
        for (int i = 0; i < test.length; i++) {
            // clipped to the rating scale, as Surprise and LibRec report: sigmoid_range(0, 5.5) can say 5.3
            double d = Math.max(r.minRating(), Math.min(r.maxRating(), pred[i])) - r.rating()[test[i]];
            se += d * d;
            ae += Math.abs(d);
        }
        long t1 = System.nanoTime();
        List<Scorers.BlockScorer> scorers = models.stream().map(Scorers::blockScorer).toList();
        RankingResult model = rank(r, split, c.k(), c.relevant(), scorers.size() == 1 ? scorers.get(0) : (users, count, out) -> {
            // the models' scores added in order, as the per-user sum did
            scorers.get(0).score(users, count, out);
            double[] v = new double[out.length];
            for (int e = 1; e < scorers.size(); e++) {
                scorers.get(e).score(users, count, v);
                for (int j = 0; j < count * r.movieVocab().size(); j++) {
                    out[j] += v[j];
                }
            }
        }, Scorers.blockSize(r.movieVocab().size()));
        double rankSeconds = (System.nanoTime() - t1) / 1e9;
        RankingResult pop = popularity(r, split, c.k(), c.relevant());
        // an implicit model's scores are not ratings: no rating error to report
        boolean implicit = c.kind().implicit();
        return new FoldResult(fold.name() + (c.onValid() ? " (validation part of its training ratings)" : ""),
                split.train().length, test.length, implicit ? Double.NaN : Math.sqrt(se / test.length),
                implicit ? Double.NaN : ae / test.length, model, pop, biasBaselineRmse(r, split.train(), test, 5), trainSeconds,
                rankSeconds);
    }

    /**
     * What {@code --on valid} measures on: a seeded 10% of the fold's training rows (the returned
     * split's {@code valid}), the model training on the other 90%; the fold's test rows are not
     * in it. Every engine that evaluates on validation uses this carve-out, so their numbers are
     * measured on the same rows.
     */
    public static Split validationPart(Split fold, long seed) {
        Split inner = Splits.random(fold.train().length, 0.1, seed);
        return new Split(pick(fold.train(), inner.train()), pick(fold.train(), inner.valid()));
    }

    /** The popularity baseline's ranking metrics: every user gets the movies by their number of training ratings. */
    public static RankingResult popularity(Ratings r, Split split, int k, double relevant) {
        int[] counts = new int[r.movieVocab().size()];
        for (int row : split.train()) {
            counts[r.movie()[row]]++;
        }
        double[] popularity = Arrays.stream(counts).asDoubleStream().toArray();
        return rank(r, split, k, relevant, user -> popularity);
    }

    private static int[] pick(int[] rows, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = rows[idx[i]];
        }
        return out;
    }

    /**
     * Ranking metrics over the users with held-out ratings ({@code split.valid()}): each user's
     * movies are ranked by {@code scores} (a score for every movie index), the user's training
     * movies never ranked; the relevant movies are the user's held-out ones rated at least
     * {@code relevant}. Any engine's model can be measured here through its scores.
     */
    public static RankingResult rank(Ratings r, Split split, int k, double relevant, IntFunction<double[]> scores) {
        int nMovies = r.movieVocab().size();
        return rank(r, split, k, relevant, (users, count, out) -> {
            for (int b = 0; b < count; b++) {
                System.arraycopy(scores.apply(users[b]), 0, out, b * nMovies, nMovies);
            }
        }, 1);
    }

    /**
     * As {@link #rank(Ratings, Split, int, double, IntFunction)}, the users scored {@code block} at
     * a time (the lists do not depend on the block size). The users' training and relevant movies
     * are held as arrays by user (row offsets), not as boxed lists and sets.
     */
    public static RankingResult rank(Ratings r, Split split, int k, double relevant, Scorers.BlockScorer scores, int block) {
        int nUsers = r.userVocab().size();
        int nMovies = r.movieVocab().size();
        int[] trainStart = new int[nUsers + 1];
        int[] trained = byUser(r, split.train(), row -> true, trainStart);
        int[] relStart = new int[nUsers + 1];
        int[] rel = byUser(r, split.valid(), row -> r.rating()[row] >= relevant, relStart);
        boolean[] tested = new boolean[nUsers];
        for (int row : split.valid()) {
            tested[r.user()[row]] = true;
        }
        double p = 0;
        double rec = 0;
        double ndcg = 0;
        double map = 0;
        double hit = 0;
        int users = 0;
        boolean[] listed = new boolean[nMovies];
        boolean[] excluded = new boolean[nMovies];
        int[] batch = new int[Math.max(1, block)];
        double[] out = new double[batch.length * nMovies];
        int u = 1;
        while (u < nUsers) {
            int count = 0;
            for (; u < nUsers && count < batch.length; u++) {
                if (tested[u]) {
                    batch[count++] = u;
                }
            }
            if (count == 0) {
                break;
            }
            scores.score(batch, count, out);
            for (int b = 0; b < count; b++) {
                int user = batch[b];
                for (int i = trainStart[user]; i < trainStart[user + 1]; i++) {
                    excluded[trained[i]] = true;
                }
                int[] top = Ranking.topK(out, b * nMovies, nMovies, excluded, k);
                for (int i = trainStart[user]; i < trainStart[user + 1]; i++) {
                    excluded[trained[i]] = false;
                }
                for (int m : top) {
                    listed[m] = true;
                }
                Ranking.UserMetrics um = Ranking.of(top, distinct(rel, relStart[user], relStart[user + 1]), k);
                if (um != null) {
                    p += um.precision();
                    rec += um.recall();
                    ndcg += um.ndcg();
                    map += um.ap();
                    hit += um.hit();
                    users++;
                }
            }
        }
        double n = Math.max(1, users);
        return new RankingResult(p / n, rec / n, ndcg / n, map / n, hit / n, Ranking.coverage(listed, nMovies - 1), users);
    }

    /** The movies of {@code rows} that {@code keep} accepts, grouped by user; {@code start} gets each user's offsets. */
    private static int[] byUser(Ratings r, int[] rows, IntPredicate keep, int[] start) {
        for (int row : rows) {
            if (keep.test(row)) {
                start[r.user()[row] + 1]++;
            }
        }
        for (int v = 1; v < start.length; v++) {
            start[v] += start[v - 1];
        }
        int[] out = new int[start[start.length - 1]];
        int[] fill = Arrays.copyOf(start, start.length - 1);
        for (int row : rows) {
            if (keep.test(row)) {
                out[fill[r.user()[row]]++] = r.movie()[row];
            }
        }
        return out;
    }

    /** {@code a[from .. to)} sorted, without repeats. */
    private static int[] distinct(int[] a, int from, int to) {
        int[] s = Arrays.copyOfRange(a, from, to);
        Arrays.sort(s);
        int d = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                s[d++] = s[i];
            }
        }
        return d == s.length ? s : Arrays.copyOf(s, d);
    }

    /**
     * Mean and sample standard deviation of one number over folds (std 0 for one fold), as the
     * evaluate commands report them; a number the model does not have (NaN: an implicit model's
     * RMSE) has no spread either.
     */
    public record Summary(double mean, double std) {
        public static Summary of(List<FoldResult> results, ToDoubleFunction<FoldResult> f) {
            double[] v = results.stream().mapToDouble(f).toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            return new Summary(mean, Double.isNaN(mean) ? Double.NaN : v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0);
        }
    }

    /** The ranking metrics over folds by name (precision, recall, ndcg, map, hit, coverage), of the lists {@code pick} chooses. */
    public static Map<String, Summary> rankingSummary(List<FoldResult> results,
                                                                Function<FoldResult, RankingResult> pick) {
        Map<String, Summary> m = new LinkedHashMap<>();
        m.put("precision", Summary.of(results, x -> pick.apply(x).precision()));
        m.put("recall", Summary.of(results, x -> pick.apply(x).recall()));
        m.put("ndcg", Summary.of(results, x -> pick.apply(x).ndcg()));
        m.put("map", Summary.of(results, x -> pick.apply(x).map()));
        m.put("hit", Summary.of(results, x -> pick.apply(x).hit()));
        m.put("coverage", Summary.of(results, x -> pick.apply(x).coverage()));
        return m;
    }
}

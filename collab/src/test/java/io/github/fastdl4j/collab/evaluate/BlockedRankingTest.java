package io.github.fastdl4j.collab.evaluate;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.module.AdamW;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Top-N ranking by blocks of users (one matrix product per block, primitive heaps, users' movies
 * by row offsets) gives exactly what the per-user ranking gave: the reference below is the code
 * before blocking, word for word (boxed lists and sets, a PriorityQueue of Integers, one user's
 * scores at a time), and the block size changes nothing.
 */
class BlockedRankingTest {

    @TempDir
    static Path tmp;
    static Ratings ratings;
    static Split split;
    static CollabModel dot;
    static CollabModel bpr;

    @BeforeAll
    static void data() throws Exception {
        ratings = Ratings.load(SyntheticRatings.write(tmp.resolve("synthetic"), 150, 60, 40, 1));
        split = Protocol.RANDOM.folds(ratings, 1, 7).get(0).split();
        dot = train(CollabKind.DOT);
        bpr = train(CollabKind.BPR);
    }

    private static CollabModel train(CollabKind kind) {
        CollabLearner learn = CollabLearner.of(ratings).model(kind).nFactors(8).seed(7).split(split)
                .adam(AdamW.Mode.DENSE).build();
        learn.learner().quiet(true);
        learn.fitOneCycle(2, 5e-3, 0.05);
        return learn.model();
    }

    @Test
    void blockedRankingEqualsThePerUserRankingForEveryBlockSize() {
        for (CollabModel m : List.of(dot, bpr)) {
            Evaluation.RankingResult before = referenceRank(ratings, split, 10, 4, referenceScorer(m));
            assertTrue(before.users() > 50, "enough users are ranked: " + before.users());
            for (int block : new int[]{1, 2, 7, 64, 1000}) {
                assertEquals(before, Evaluation.rank(ratings, split, 10, 4, Scorers.blockScorer(m), block),
                        m.kind() + ", blocks of " + block);
            }
            assertEquals(before, Evaluation.rank(ratings, split, 10, 4, Scorers.scorer(m)), m.kind() + ", per user");
        }
    }

    @Test
    void blockedScoresAreThePerUserScoresBitForBit() {
        int movies = dot.movies().size();
        int[] users = {3, 1, 150, 77, 42};
        double[] out = new double[users.length * movies];
        Scorers.blockScorer(dot).score(users, users.length, out);
        for (int b = 0; b < users.length; b++) {
            double[] one = referenceScorer(dot).apply(users[b]);
            for (int j = 0; j < movies; j++) {
                assertEquals(Double.doubleToLongBits(one[j]), Double.doubleToLongBits(out[b * movies + j]), "user " + users[b] + " movie " + j);
            }
        }
    }

    @Test
    void thePopularityBaselineWithItsManyTiesIsUnchanged() {
        int[] counts = new int[ratings.movieVocab().size()];
        for (int row : split.train()) {
            counts[ratings.movie()[row]]++;
        }
        double[] pop = Arrays.stream(counts).asDoubleStream().toArray();
        assertEquals(referenceRank(ratings, split, 5, 4, u -> pop), Evaluation.popularity(ratings, split, 5, 4));
    }

    @Test
    void theBoundedHeapPicksWhatThePriorityQueuePicked() {
        Random rnd = new Random(5);
        for (int t = 0; t < 300; t++) {
            int n = 1 + rnd.nextInt(60);
            double[] s = new double[n];
            boolean[] ex = new boolean[n];
            for (int i = 0; i < n; i++) {
                // few distinct values: ties everywhere; now and then NaN and infinities
                int pick = rnd.nextInt(12);
                s[i] = pick == 0 ? Double.NaN : pick == 1 ? Double.NEGATIVE_INFINITY : pick == 2 ? Double.POSITIVE_INFINITY : rnd.nextInt(4);
                ex[i] = rnd.nextInt(5) == 0;
            }
            int k = rnd.nextInt(12);
            boolean[] excluded = rnd.nextBoolean() ? ex : null;
            assertArrayEquals(RankingTest.boxedTopK(s, excluded, k), Ranking.topK(s, excluded, k), "case " + t);
            double[] padded = new double[n + 9];
            System.arraycopy(s, 0, padded, 4, n);
            assertArrayEquals(RankingTest.boxedTopK(s, excluded, k), Ranking.topK(padded, 4, n, excluded, k), "case " + t + " at an offset");
        }
    }

    // ---- the code before blocking, kept as the reference ----

    private static IntFunction<double[]> referenceScorer(CollabModel m) {
        int nMovies = m.movies().size();
        CollabKind kind = m.kind();
        double[][] uf = m.userFactors();
        double[][] mf = m.movieFactors();
        double[] ub = kind == CollabKind.BPR ? new double[uf.length] : m.userBias();
        double[] mb = kind == CollabKind.BPR
                ? m.trainable().weights(CollabModel.MOVIE_BIAS).castTo(DataType.DOUBLE).toDoubleVector()
                : m.movieBias();
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

    private static Evaluation.RankingResult referenceRank(Ratings r, Split split, int k, double relevant, IntFunction<double[]> scores) {
        int nUsers = r.userVocab().size();
        int nMovies = r.movieVocab().size();
        List<List<Integer>> trained = new ArrayList<>();
        List<Set<Integer>> relevantItems = new ArrayList<>();
        boolean[] tested = new boolean[nUsers];
        for (int i = 0; i < nUsers; i++) {
            trained.add(new ArrayList<>());
            relevantItems.add(new HashSet<>());
        }
        for (int row : split.train()) {
            trained.get(r.user()[row]).add(r.movie()[row]);
        }
        for (int row : split.valid()) {
            tested[r.user()[row]] = true;
            if (r.rating()[row] >= relevant) {
                relevantItems.get(r.user()[row]).add(r.movie()[row]);
            }
        }
        double p = 0;
        double rec = 0;
        double ndcg = 0;
        double map = 0;
        double hit = 0;
        int users = 0;
        List<int[]> lists = new ArrayList<>();
        boolean[] excluded = new boolean[nMovies];
        for (int u = 1; u < nUsers; u++) {
            if (!tested[u]) {
                continue;
            }
            for (int m : trained.get(u)) {
                excluded[m] = true;
            }
            int[] top = RankingTest.boxedTopK(scores.apply(u), excluded, k);
            for (int m : trained.get(u)) {
                excluded[m] = false;
            }
            lists.add(top);
            Ranking.UserMetrics um = Ranking.of(top, relevantItems.get(u), k);
            if (um != null) {
                p += um.precision();
                rec += um.recall();
                ndcg += um.ndcg();
                map += um.ap();
                hit += um.hit();
                users++;
            }
        }
        double n = Math.max(1, users);
        return new Evaluation.RankingResult(p / n, rec / n, ndcg / n, map / n, hit / n, Ranking.coverage(lists, nMovies - 1), users);
    }
}

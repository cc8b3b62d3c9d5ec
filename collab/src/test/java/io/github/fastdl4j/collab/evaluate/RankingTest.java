package io.github.fastdl4j.collab.evaluate;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The ranking metrics' definitions, pinned on lists small enough to compute by hand. */
class RankingTest {

    private static final double L2 = Math.log(2);

    private static double lg(int x) {
        return Math.log(x) / L2;
    }

    @Test
    void precisionRecallNdcgMapAndHitOfOneList() {
        // list 5, 3, 9, 1, 7 with relevant {3, 7, 8}: hits at positions 2 and 5 (1-based)
        Ranking.UserMetrics m = Ranking.of(new int[]{5, 3, 9, 1, 7}, Set.of(3, 7, 8), 5);
        assertEquals(2 / 5.0, m.precision(), 1e-12);
        assertEquals(2 / 3.0, m.recall(), 1e-12);
        double dcg = 1 / lg(3) + 1 / lg(6);
        double idcg = 1 / lg(2) + 1 / lg(3) + 1 / lg(4);
        assertEquals(dcg / idcg, m.ndcg(), 1e-12);
        // AP@5: (P@2 + P@5) / min(5, 3) = (1/2 + 2/5) / 3
        assertEquals((0.5 + 0.4) / 3, m.ap(), 1e-12);
        assertEquals(1, m.hit());
    }

    @Test
    void aShortRelevantSetIsNormalisedByItsSize() {
        // one relevant item at the top: everything but precision is perfect
        Ranking.UserMetrics m = Ranking.of(new int[]{4, 2, 6}, Set.of(4), 3);
        assertEquals(1 / 3.0, m.precision(), 1e-12);
        assertEquals(1, m.recall(), 1e-12);
        assertEquals(1, m.ndcg(), 1e-12);
        assertEquals(1, m.ap(), 1e-12);
        // more relevant items than k: IDCG and AP use min(k, |relevant|) = k
        Ranking.UserMetrics n = Ranking.of(new int[]{1, 2}, Set.of(1, 2, 3, 4), 2);
        assertEquals(1, n.ndcg(), 1e-12);
        assertEquals(1, n.ap(), 1e-12);
        assertEquals(0.5, n.recall(), 1e-12);
    }

    @Test
    void noHitsAndNoRelevantItems() {
        Ranking.UserMetrics m = Ranking.of(new int[]{1, 2, 3}, Set.of(9), 3);
        assertEquals(0, m.precision());
        assertEquals(0, m.recall());
        assertEquals(0, m.ndcg());
        assertEquals(0, m.ap());
        assertEquals(0, m.hit());
        assertNull(Ranking.of(new int[]{1, 2, 3}, Set.of(), 3), "a user without relevant items is left out of the averages");
    }

    @Test
    void tiesAreBrokenByTheLowerIndexAndExcludedItemsAreNeverRanked() {
        double[] scores = {9, 0.5, 0.7, 0.7, 0.1, 0.7};
        // index 0 (unknown item) is never ranked; 2, 3, 5 tie at 0.7: lower index first
        assertArrayEquals(new int[]{2, 3, 5, 1}, Ranking.topK(scores, null, 4));
        boolean[] excluded = {false, false, false, true, false, false};
        assertArrayEquals(new int[]{2, 5, 1}, Ranking.topK(scores, excluded, 3), "a training item is skipped");
        assertArrayEquals(new int[]{2, 5, 1, 4}, Ranking.topK(scores, excluded, 10), "fewer items than k");
        // with ties the metrics depend on the order: item 5 relevant is at position 2, not 3
        Ranking.UserMetrics m = Ranking.of(Ranking.topK(scores, excluded, 3), Set.of(5), 3);
        assertEquals(1 / lg(3), m.ndcg(), 1e-12);
        assertEquals(0.5, m.ap(), 1e-12);
    }

    @Test
    void coverageCountsDistinctItemsOverTheCatalogue() {
        assertEquals(0.4, Ranking.coverage(List.of(new int[]{1, 2}, new int[]{2, 3}, new int[]{7, 1}), 10), 1e-12);
    }

    /** Over folds: the mean and the sample standard deviation (n - 1), 0 for one fold, NaN for a number a model does not have. */
    @Test
    void foldSummariesAreMeanAndSampleStd() {
        Evaluation.RankingResult a = new Evaluation.RankingResult(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 10);
        Evaluation.RankingResult b = new Evaluation.RankingResult(0.3, 0.2, 0.5, 0.4, 0.5, 0.6, 20);
        List<Evaluation.FoldResult> folds = List.of(
                new Evaluation.FoldResult("a", 8, 2, 0.9, 0.7, a, b, 1.0, 1, 1),
                new Evaluation.FoldResult("b", 8, 2, 1.1, Double.NaN, b, a, 1.0, 1, 1));
        Evaluation.Summary rmse = Evaluation.Summary.of(folds, Evaluation.FoldResult::rmse);
        assertEquals(1.0, rmse.mean(), 1e-12);
        assertEquals(Math.sqrt(0.02), rmse.std(), 1e-12);
        assertEquals(Double.NaN, Evaluation.Summary.of(folds, Evaluation.FoldResult::mae).std());
        assertEquals(0.0, Evaluation.Summary.of(folds.subList(0, 1), Evaluation.FoldResult::rmse).std());
        var ranking = Evaluation.rankingSummary(folds, Evaluation.FoldResult::model);
        assertEquals(List.of("precision", "recall", "ndcg", "map", "hit", "coverage"), List.copyOf(ranking.keySet()));
        assertEquals(0.2, ranking.get("precision").mean(), 1e-12);
        assertEquals(0.4, ranking.get("ndcg").mean(), 1e-12);
        assertEquals(0.0, ranking.get("recall").std(), 1e-12);
        assertEquals(0.2, Evaluation.rankingSummary(folds, Evaluation.FoldResult::popularity).get("precision").mean(), 1e-12);
    }

    /**
     * The selection as it was written before (a PriorityQueue of boxed indices): the reference for
     * the plain-int heap, here and in {@link BlockedRankingTest}.
     */
    static int[] boxedTopK(double[] scores, boolean[] excluded, int k) {
        PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1, (a, b) -> {
            int c = Double.compare(scores[a], scores[b]);
            return c != 0 ? c : Integer.compare(b, a);
        });
        for (int i = 1; i < scores.length; i++) {
            if (excluded != null && excluded[i]) {
                continue;
            }
            heap.add(i);
            if (heap.size() > k) {
                heap.poll();
            }
        }
        int[] out = new int[heap.size()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = heap.poll();
        }
        return out;
    }

    @Test
    void topKIsTheSameListAsABoxedPriorityQueueGives() {
        Random r = new Random(7);
        for (int trial = 0; trial < 2_000; trial++) {
            int n = 1 + r.nextInt(60);
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                int kind = r.nextInt(10);
                // many ties (a few distinct values), NaN, infinities and -0.0 beside 0.0
                scores[i] = kind == 0 ? Double.NaN : kind == 1 ? (r.nextBoolean() ? -0.0 : 0.0)
                        : kind == 2 ? (r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY) : r.nextInt(4);
            }
            boolean[] excluded = r.nextBoolean() ? null : new boolean[n];
            if (excluded != null) {
                for (int i = 0; i < n; i++) {
                    excluded[i] = r.nextInt(4) == 0;
                }
            }
            int k = r.nextInt(n + 4);
            assertArrayEquals(boxedTopK(scores, excluded, k), Ranking.topK(scores, excluded, k),
                    Arrays.toString(scores) + " k=" + k);
        }
    }
}

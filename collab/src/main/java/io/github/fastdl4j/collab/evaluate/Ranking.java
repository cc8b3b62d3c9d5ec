package io.github.fastdl4j.collab.evaluate;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Top-N ranking metrics of one user's list, with binary relevance, as recommender libraries
 * publish them. For a list {@code ranked} (item indices, best first, at least {@code k} long or the
 * whole catalogue) and the set of relevant held-out items:
 * <ul>
 *   <li>precision@k = hits in the top k / k;</li>
 *   <li>recall@k = hits in the top k / |relevant|;</li>
 *   <li>NDCG@k = DCG / IDCG with DCG = sum over the top k of rel_i / log2(i + 2) (i from 0) and
 *   IDCG the DCG of a perfect list: sum over i < min(k, |relevant|) of 1 / log2(i + 2);</li>
 *   <li>AP@k = sum over the top k of precision@(i+1) * rel_i, divided by min(k, |relevant|)
 *   (MAP@k is its mean over users);</li>
 *   <li>hit@k = 1 if any relevant item is in the top k.</li>
 * </ul>
 * A user without relevant held-out items has no defined recall, NDCG or AP: {@link #of} returns
 * null for them and averages leave them out (the evaluation reports how many users count). Ties
 * in scores are broken by item index, lowest first ({@link #topK}), so results are reproducible.
 */
public final class Ranking {

    private Ranking() {
    }

    /**
     * The metrics of one user's list.
     *
     * @param precision precision@k
     * @param recall    recall@k
     * @param ndcg      NDCG@k
     * @param ap        AP@k
     * @param hit       hit@k (0 or 1)
     */
    public record UserMetrics(double precision, double recall, double ndcg, double ap, double hit) {
    }

    /** The metrics of the first {@code k} items of {@code ranked} against {@code relevant}; null when nothing is relevant. */
    public static UserMetrics of(int[] ranked, Set<Integer> relevant, int k) {
        if (relevant.isEmpty()) {
            return null;
        }
        int n = Math.min(k, ranked.length);
        int hits = 0;
        double dcg = 0;
        double apSum = 0;
        for (int i = 0; i < n; i++) {
            if (relevant.contains(ranked[i])) {
                hits++;
                dcg += 1 / log2(i + 2);
                apSum += (double) hits / (i + 1);
            }
        }
        double idcg = 0;
        for (int i = 0; i < Math.min(k, relevant.size()); i++) {
            idcg += 1 / log2(i + 2);
        }
        return new UserMetrics((double) hits / k, (double) hits / relevant.size(), dcg / idcg,
                apSum / Math.min(k, relevant.size()), hits > 0 ? 1 : 0);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * The indices of the {@code k} highest scores among items not excluded, best first, ties
     * broken by the lower index. Index 0 (the unknown item) is never ranked.
     */
    public static int[] topK(double[] scores, boolean[] excluded, int k) {
        // a bounded selection: O(n log k), the lists are short
        java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(k + 1, (a, b) -> {
            int c = Double.compare(scores[a], scores[b]);
            return c != 0 ? c : Integer.compare(b, a); // the worst on top: lower score, then higher index
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

    /** Catalogue coverage: the share of the {@code catalogue} items (indices 1..n) that appear in some user's list. */
    public static double coverage(Iterable<int[]> lists, int catalogue) {
        Set<Integer> seen = new HashSet<>();
        for (int[] l : lists) {
            for (int i : l) {
                seen.add(i);
            }
        }
        return catalogue == 0 ? 0 : (double) seen.size() / catalogue;
    }

    /** Mean of a list of user values. */
    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }
}

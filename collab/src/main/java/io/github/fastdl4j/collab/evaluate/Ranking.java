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
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative, got " + k);
        }
        // a bounded selection, O(n log k): a heap of the k best indices, the worst on top, of plain ints
        // (a PriorityQueue<Integer> boxed every index: 30 us of a served recommendation against 2)
        int[] heap = new int[k];
        int size = 0;
        for (int i = 1; i < scores.length; i++) {
            if (excluded != null && excluded[i]) {
                continue;
            }
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, scores);
            } else if (k > 0 && worse(heap[0], i, scores)) {
                heap[0] = i;
                siftDown(heap, size, scores);
            }
        }
        int[] out = new int[size];
        for (int i = size - 1; i >= 0; i--) {
            out[i] = heap[0];
            heap[0] = heap[--size];
            siftDown(heap, size, scores);
        }
        return out;
    }

    /** Whether item {@code a} ranks below item {@code b}: a lower score, or the same score and a higher index. */
    private static boolean worse(int a, int b, double[] scores) {
        int c = Double.compare(scores[a], scores[b]);
        return c != 0 ? c < 0 : a > b;
    }

    private static void siftUp(int[] heap, int i, double[] scores) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(heap[i], heap[parent], scores)) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[parent];
            heap[parent] = t;
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int size, double[] scores) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            int worst = i;
            if (left < size && worse(heap[left], heap[worst], scores)) {
                worst = left;
            }
            if (left + 1 < size && worse(heap[left + 1], heap[worst], scores)) {
                worst = left + 1;
            }
            if (worst == i) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[worst];
            heap[worst] = t;
            i = worst;
        }
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

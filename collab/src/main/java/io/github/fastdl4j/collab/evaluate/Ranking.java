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
        return of(ranked, relevant.stream().mapToInt(Integer::intValue).sorted().toArray(), k);
    }

    /**
     * As {@link #of(int[], Set, int)}, the relevant items given as a sorted array without
     * repeats (no boxed set per user when 100k users are ranked).
     */
    public static UserMetrics of(int[] ranked, int[] relevant, int k) {
        if (relevant.length == 0) {
            return null;
        }
        int n = Math.min(k, ranked.length);
        int hits = 0;
        double dcg = 0;
        double apSum = 0;
        for (int i = 0; i < n; i++) {
            if (Arrays.binarySearch(relevant, ranked[i]) >= 0) {
                hits++;
                dcg += 1 / log2(i + 2);
                apSum += (double) hits / (i + 1);
            }
        }
        double idcg = 0;
        for (int i = 0; i < Math.min(k, relevant.length); i++) {
            idcg += 1 / log2(i + 2);
        }
        return new UserMetrics((double) hits / k, (double) hits / relevant.length, dcg / idcg,
                apSum / Math.min(k, relevant.length), hits > 0 ? 1 : 0);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * The indices of the {@code k} highest scores among items not excluded, best first, ties
     * broken by the lower index. Index 0 (the unknown item) is never ranked.
     */
    public static int[] topK(double[] scores, boolean[] excluded, int k) {
        return topK(scores, 0, scores.length, excluded, k);
    }

    /**
     * As {@link #topK(double[], boolean[], int)} for the scores {@code scores[offset .. offset + n)}
     * of items {@code 0 .. n): one user's row of a block of users' scores. A bounded heap of
     * {@code k} primitive indices, the worst on top; an item enters only when it beats the worst,
     * so most of a catalogue costs one comparison each.
     */
    public static int[] topK(double[] scores, int offset, int n, boolean[] excluded, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative, got " + k);
        }
        int[] heap = new int[k];
        int size = 0;
        for (int i = 1; i < n; i++) {
            if (excluded != null && excluded[i]) {
                continue;
            }
            if (size < k) {
                heap[size] = i;
                up(heap, size++, scores, offset);
            } else if (k > 0 && worse(heap[0], i, scores, offset)) {
                heap[0] = i;
                down(heap, size, scores, offset);
            }
        }
        int[] out = new int[size];
        for (int i = size - 1; i >= 0; i--) {
            out[i] = heap[0];
            heap[0] = heap[--size];
            down(heap, size, scores, offset);
        }
        return out;
    }

    /** Whether item {@code a} ranks below item {@code b}: a lower score, or the same score and a higher index. */
    private static boolean worse(int a, int b, double[] s, int offset) {
        int c = Double.compare(s[offset + a], s[offset + b]);
        return c != 0 ? c < 0 : a > b;
    }

    private static void up(int[] heap, int i, double[] s, int offset) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(heap[i], heap[parent], s, offset)) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[parent];
            heap[parent] = t;
            i = parent;
        }
    }

    private static void down(int[] heap, int size, double[] s, int offset) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int w = l + 1 < size && worse(heap[l + 1], heap[l], s, offset) ? l + 1 : l;
            if (!worse(heap[w], heap[i], s, offset)) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[w];
            heap[w] = t;
            i = w;
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

    /** {@link #coverage} from the items marked in {@code listed} (by item index, 1..catalogue). */
    static double coverage(boolean[] listed, int catalogue) {
        int seen = 0;
        for (boolean b : listed) {
            seen += b ? 1 : 0;
        }
        return catalogue == 0 ? 0 : (double) seen / catalogue;
    }

    /** Mean of a list of user values. */
    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }
}

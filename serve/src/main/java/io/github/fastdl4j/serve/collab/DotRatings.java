package io.github.fastdl4j.serve.collab;

import io.github.fastdl4j.collab.evaluate.Ranking;
import io.github.fastdl4j.collab.interpret.FoldIn;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.module.Activations;

import java.util.Arrays;

/**
 * A dot-product model's ratings computed from its movie tables, read once: no lock and no native
 * call per request. A user is given by factors and a bias (trained, or folded in from feedback).
 */
final class DotRatings {

    private final double[][] movieFactors;
    private final double[] movieBias;
    private final boolean clipped;
    private final double low;
    private final double high;

    DotRatings(CollabModel model) {
        this.movieFactors = model.movieFactors();
        this.movieBias = model.movieBias();
        this.clipped = model.kind() == CollabKind.DOT_LINEAR;
        this.low = model.spec().low();
        this.high = model.spec().high();
    }

    /** Movie indices (index 0 unused). */
    int movies() {
        return movieFactors.length;
    }

    /**
     * The rating of every movie index by a user with these factors and bias, as the model computes
     * it (user bias + movie bias + dot product, through sigmoid_range, or clipped to the range for
     * dot-linear); {@link FoldIn#predictions} with the tables read once.
     */
    double[] all(double[] factors, double bias) {
        double[] out = raw(factors, bias);
        for (int j = 0; j < out.length; j++) {
            out[j] = squash(out[j]);
        }
        return out;
    }

    /** Bias + movie bias + dot product of every movie index, before sigmoid_range or the clip. */
    private double[] raw(double[] factors, double bias) {
        double[] out = new double[movieFactors.length];
        for (int j = 0; j < out.length; j++) {
            double s = bias + movieBias[j];
            double[] f = movieFactors[j];
            for (int c = 0; c < f.length; c++) {
                s += factors[c] * f[c];
            }
            out[j] = s;
        }
        return out;
    }

    private double squash(double s) {
        return clipped ? Math.max(low, Math.min(high, s)) : Activations.sigmoidRange(s, low, high);
    }

    /**
     * The best movies, best first, and their ratings.
     *
     * @param movies  movie indices
     * @param ratings their ratings, in the same order
     */
    record Top(int[] movies, double[] ratings) {
    }

    /**
     * The top {@code k} ratings, exactly as {@link Ranking#topK} over {@link #all} ranks them, with
     * sigmoid_range (or the clip) computed for k + 1 movies instead of every movie: it never
     * reverses an order, so the best raw scores hold the best ratings. Only where it makes a tie at
     * the edge of the top k (a rating saturated or clipped) can the raw order pick other movies than
     * the ratings' order (ties go to the lower index): then every rating is computed. The exp of
     * every movie was most of a served recommendation.
     */
    Top top(double[] factors, double bias, boolean[] excluded, int k) {
        double[] raw = raw(factors, bias);
        int[] best = Ranking.topK(raw, excluded, k + 1);
        double[] rating = new double[raw.length];
        for (int m : best) {
            rating[m] = squash(raw[m]);
        }
        if (best.length > k && rating[best[k]] == rating[best[k - 1]]) {
            double[] every = all(factors, bias);
            int[] top = Ranking.topK(every, excluded, k);
            return new Top(top, Arrays.stream(top).mapToDouble(m -> every[m]).toArray());
        }
        Integer[] order = new Integer[Math.min(k, best.length)];
        for (int i = 0; i < order.length; i++) {
            order[i] = best[i];
        }
        // equal ratings of different raw scores go to the lower index, as Ranking orders them
        Arrays.sort(order, (a, b) -> rating[a] != rating[b] ? Double.compare(rating[b], rating[a]) : Integer.compare(a, b));
        int[] movies = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        return new Top(movies, Arrays.stream(movies).mapToDouble(m -> rating[m]).toArray());
    }
}

package io.github.fastdl4j.collab.interpret;

import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.module.Activations;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

import java.util.Map;

/**
 * A user the model has never seen, from a handful of ratings, without retraining ("folding in"):
 * the movie side stays as trained and only the new user's factors and bias are fitted, by ridge
 * regression in closed form. For the sigmoid_range models the ratings are first mapped back
 * through the sigmoid ({@code z = logit((r - low) / (high - low))}), so the fit is linear in what
 * the dot product computes; the ridge penalty {@code lambda} pulls the factors towards zero, which
 * with three ratings mostly leaves a bias: the fewer the ratings, the closer to "a typical user".
 */
public final class FoldIn {

    /** Ridge penalty on the factors (the bias is penalised 100 times less). */
    public static final double LAMBDA = 1.0;

    private FoldIn() {
    }

    /**
     * A folded-in user: factors and bias in the model's own terms.
     *
     * @param factors the user's factors
     * @param bias    the user's bias
     */
    public record User(double[] factors, double bias) {
    }

    /** Fits a new user to {@code ratings} (movie index to rating) of a dot-product model. */
    public static User user(CollabModel m, Map<Integer, Double> ratings, double lambda) {
        return user(m, ratings, lambda, null);
    }

    /**
     * Fits a user to {@code ratings}; with a {@code prior} (a known user's trained factors and bias)
     * the ridge pulls towards the prior instead of towards zero, bias as firmly as the factors: a
     * few new ratings of a known user move the user from where training left it, they do not
     * replace it.
     */
    public static User user(CollabModel m, Map<Integer, Double> ratings, double lambda, User prior) {
        CollabKind kind = m.kind();
        if (kind != CollabKind.DOT && kind != CollabKind.DOT_LINEAR && kind != CollabKind.DOT_LAYERS) {
            throw new IllegalArgumentException("folding in a new user needs a dot-product model (dot, dot-linear, "
                    + "dot-layers), not " + kind);
        }
        if (ratings.isEmpty()) {
            throw new IllegalArgumentException("folding in a new user needs at least one rating");
        }
        double[][] mf = m.movieFactors();
        double[] mb = m.movieBias();
        int k = mf[0].length;
        boolean sigmoid = kind != CollabKind.DOT_LINEAR;
        double low = m.spec().low();
        double high = m.spec().high();
        RealMatrix x = new Array2DRowRealMatrix(ratings.size(), k + 1);
        RealVector z = new ArrayRealVector(ratings.size());
        int row = 0;
        for (Map.Entry<Integer, Double> e : ratings.entrySet()) {
            int movie = e.getKey();
            for (int f = 0; f < k; f++) {
                x.setEntry(row, f, mf[movie][f]);
            }
            x.setEntry(row, k, 1);
            double target = e.getValue();
            if (sigmoid) {
                // keep the target strictly inside (low, high): a sigmoid never reaches its ends
                double p = Math.min(1 - 1e-3, Math.max(1e-3, (target - low) / (high - low)));
                target = Math.log(p / (1 - p));
            }
            z.setEntry(row, target - mb[movie]);
            row++;
        }
        RealMatrix a = x.transpose().multiply(x);
        RealVector rhs = x.transpose().operate(z);
        for (int f = 0; f < k; f++) {
            a.addToEntry(f, f, lambda);
        }
        a.addToEntry(k, k, prior == null ? lambda / 100 : lambda);
        if (prior != null) {
            if (prior.factors().length != k) {
                throw new IllegalArgumentException("the prior has " + prior.factors().length + " factors, the model " + k);
            }
            for (int f = 0; f < k; f++) {
                rhs.addToEntry(f, lambda * prior.factors()[f]);
            }
            rhs.addToEntry(k, lambda * prior.bias());
        }
        RealVector w = new CholeskyDecomposition(a).getSolver().solve(rhs);
        double[] factors = new double[k];
        for (int f = 0; f < k; f++) {
            factors[f] = w.getEntry(f);
        }
        return new User(factors, w.getEntry(k));
    }

    /** The folded-in user's predicted rating of every movie (index 0 included), as the model would predict it. */
    public static double[] predictions(CollabModel m, User u) {
        double[][] mf = m.movieFactors();
        double[] mb = m.movieBias();
        boolean sigmoid = m.kind() != CollabKind.DOT_LINEAR;
        double low = m.spec().low();
        double high = m.spec().high();
        double[] out = new double[mf.length];
        for (int j = 0; j < mf.length; j++) {
            double s = u.bias() + mb[j];
            for (int f = 0; f < mf[j].length; f++) {
                s += u.factors()[f] * mf[j][f];
            }
            out[j] = sigmoid ? Activations.sigmoidRange(s, low, high) : Math.max(low, Math.min(high, s));
        }
        return out;
    }
}

package io.github.fastdl4j.serve.collab;

import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Feedback folded into a user of a model without a closed form (nn, nn-layers, nn-bn, hybrid):
 * fastai would fine-tune only the user's embedding row with the rest of the model frozen; this
 * does that by gradient descent on the user's rows of the per-user tables ({@code user_embedding},
 * and for hybrid also {@code user_factors} and {@code user_bias}), minimising the squared error of
 * the feedback ratings plus two pulls towards where the user started (its trained rows, or the
 * mean user for a new id): a small ridge on the rows, and, for a known user, the model's own
 * ratings of the movies the user rated in training (their mean squared change, weighted as one
 * rating), so that one feedback moves that movie without unlearning the user's tastes. The network is a black box here (its engine may be DL4J): the gradient
 * is taken by forward differences, all of them in one batched forward pass per step, by writing
 * the candidate rows into spare rows of the user tables and putting those rows back afterwards.
 * The model is changed only while the caller holds its lock, and is the same afterwards.
 */
final class RowFoldIn {

    /** Ridge towards the starting rows, per unit of squared distance (ratings' squared error is summed). */
    static final double LAMBDA = 0.05;
    /** Descent steps at most (each one forward pass of (width + 1) x ratings rows). */
    static final int STEPS = 60;
    /** The ratings used at most: the latest ones (bounds the time of one feedback). */
    static final int MAX_RATINGS = 400;
    /** A known user's training movies whose ratings are held where they were, at most (spread over the list). */
    static final int MAX_ANCHORS = 48;
    /** The weight of all those held ratings together, in ratings. */
    static final double ANCHOR_WEIGHT = 5.0;
    private static final double H = 1e-3;

    /** The per-user tables, in a fixed order; rows are user indices. */
    private static final List<String> USER_TABLES = List.of(CollabModel.USER_EMBEDDING, CollabModel.USER_FACTORS,
            CollabModel.USER_BIAS);

    private RowFoldIn() {
    }

    /** Whether this kind is folded in here (the dot-product kinds have the closed form of FoldIn; BPR ranks, it does not rate). */
    static boolean applies(CollabKind k) {
        return k == CollabKind.NN || k == CollabKind.NN_LAYERS || k == CollabKind.NN_BN || k == CollabKind.HYBRID;
    }

    /**
     * A user's rows, concatenated over the user tables in {@link #USER_TABLES} order.
     *
     * @param values the concatenated rows
     */
    record Rows(double[] values) {
    }

    private static List<INDArray> tables(CollabModel m) {
        List<INDArray> out = new ArrayList<>();
        for (String n : USER_TABLES) {
            if (m.trainable().weightNames().contains(n)) {
                out.add(m.trainable().weights(n));
            }
        }
        return out;
    }

    private static int width(List<INDArray> tables) {
        return tables.stream().mapToInt(t -> (int) t.size(1)).sum();
    }

    /** Where a user starts: its trained rows, or for index 0 (a new user) the mean of the trained users' rows. Caller holds the lock. */
    static Rows start(CollabModel m, int user) {
        List<INDArray> ts = tables(m);
        double[] v = new double[width(ts)];
        int at = 0;
        for (INDArray t : ts) {
            INDArray row = user == 0 ? t.get(NDArrayIndex.interval(1, t.size(0)),
                    NDArrayIndex.all()).mean(0) : t.getRow(user);
            double[] r = row.castTo(DataType.DOUBLE).toDoubleVector();
            System.arraycopy(r, 0, v, at, r.length);
            at += r.length;
        }
        return new Rows(v);
    }

    /**
     * Fits a user's rows to its ratings (movie index to rating, the latest last), from {@code start}.
     * Caller holds the model's lock.
     *
     * @param metaUser the user index whose metadata the hybrid model reads (0 for a new user)
     */
    static Rows fit(CollabModel m, int metaUser, Map<Integer, Double> ratings, Rows start) {
        List<Map.Entry<Integer, Double>> all = new ArrayList<>(ratings.entrySet());
        List<Map.Entry<Integer, Double>> used = all.subList(Math.max(0, all.size() - MAX_RATINGS), all.size());
        // a known user's training movies (not re-rated now): held at the model's ratings for the starting rows
        List<Integer> anchors = new ArrayList<>();
        if (metaUser != 0) {
            int[] seen = m.seen(metaUser);
            List<Integer> free = new ArrayList<>();
            for (int movie : seen) {
                if (!ratings.containsKey(movie)) {
                    free.add(movie);
                }
            }
            int k = Math.min(MAX_ANCHORS, free.size());
            for (int i = 0; i < k; i++) {
                anchors.add(free.get((int) ((long) i * free.size() / k)));
            }
        }
        int n = used.size() + anchors.size();
        int[] movies = new int[n];
        double[] target = new double[n];
        double[] weight = new double[n];
        for (int i = 0; i < used.size(); i++) {
            movies[i] = used.get(i).getKey();
            target[i] = used.get(i).getValue();
            weight[i] = 1;
        }
        if (!anchors.isEmpty()) {
            int[] am = anchors.stream().mapToInt(Integer::intValue).toArray();
            double[] held = predict(m, metaUser, new double[][]{start.values()}, am)[0];
            for (int j = 0; j < am.length; j++) {
                movies[used.size() + j] = am[j];
                target[used.size() + j] = held[j];
                weight[used.size() + j] = ANCHOR_WEIGHT / am.length;
            }
        }
        double[] v0 = start.values();
        int d = v0.length;
        double[] v = v0.clone();
        double norm = Math.sqrt(Arrays.stream(v0).map(x -> x * x).sum() / Math.max(1, d));
        double step = 0.5 * Math.max(norm, 0.05) * Math.sqrt(d); // a step length in the rows' own scale
        double[] best = v.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        double[] bestGrad = null;
        double minStep = step * 1e-3; // steps this much shorter than the first change nothing that shows
        for (int s = 0; s < STEPS && step > minStep; s++) {
            // f at v and at v + H e_j for every coordinate j, in one pass
            double[][] points = new double[d + 1][];
            points[0] = v;
            for (int j = 0; j < d; j++) {
                points[j + 1] = v.clone();
                points[j + 1][j] += H;
            }
            double[][] f = predict(m, metaUser, points, movies);
            double[] losses = new double[d + 1];
            for (int p = 0; p <= d; p++) {
                losses[p] = loss(f[p], target, weight, points[p], v0);
            }
            if (losses[0] < bestLoss) {
                // accepted: descend from here, a little bolder
                bestLoss = losses[0];
                best = v.clone();
                bestGrad = new double[d];
                for (int j = 0; j < d; j++) {
                    bestGrad[j] = (losses[j + 1] - losses[0]) / H;
                }
                step *= 1.3;
            } else {
                step *= 0.4; // overshot: back to the best point, a shorter step
            }
            double g = Math.sqrt(Arrays.stream(bestGrad).map(x -> x * x).sum());
            if (!(g > 1e-9)) {
                break;
            }
            v = best.clone();
            for (int j = 0; j < d; j++) {
                v[j] -= step * bestGrad[j] / g;
            }
        }
        return new Rows(best);
    }

    private static double loss(double[] f, double[] target, double[] weight, double[] v, double[] v0) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += weight[i] * (f[i] - target[i]) * (f[i] - target[i]);
        }
        double r = 0;
        for (int j = 0; j < v.length; j++) {
            r += (v[j] - v0[j]) * (v[j] - v0[j]);
        }
        return s + LAMBDA * r;
    }

    /** The model's ratings of every movie index (0 unused) by a user with these rows. Caller holds the lock. */
    static double[] scores(CollabModel m, int metaUser, Rows rows) {
        int nm = m.movies().size();
        int[] movies = new int[nm - 1];
        for (int i = 0; i < movies.length; i++) {
            movies[i] = i + 1;
        }
        double[] f = predict(m, metaUser, new double[][]{rows.values()}, movies)[0];
        double[] out = new double[nm];
        System.arraycopy(f, 0, out, 1, f.length);
        return out;
    }

    /**
     * The model's ratings of {@code movies} for each point (user rows): the points are written into
     * spare rows of the user tables (rows 0, 1, ...; put back afterwards), as many per pass as the
     * tables have rows.
     */
    private static double[][] predict(CollabModel m, int metaUser, double[][] points, int[] movies) {
        List<INDArray> ts = tables(m);
        int users = (int) ts.get(0).size(0);
        int n = movies.length;
        double[][] out = new double[points.length][];
        for (int from = 0; from < points.length; from += users) {
            int count = Math.min(users, points.length - from);
            // the spare rows as they were (a list, not a map: an INDArray's hashCode reads the whole table)
            List<INDArray> saved = new ArrayList<>();
            for (INDArray t : ts) {
                saved.add(t.get(NDArrayIndex.interval(0, count),
                        NDArrayIndex.all()).dup());
            }
            try {
                int at = 0;
                for (INDArray t : ts) { // one write per table: the points' slices of it, as rows 0..count-1
                    int w = (int) t.size(1);
                    double[][] block = new double[count][];
                    for (int p = 0; p < count; p++) {
                        block[p] = Arrays.copyOfRange(points[from + p], at, at + w);
                    }
                    t.get(NDArrayIndex.interval(0, count), NDArrayIndex.all())
                            .assign(Nd4j.createFromArray(block).castTo(t.dataType()));
                    at += w;
                }
                int[] metaUsers = new int[count * n];
                int[] scratch = new int[count * n];
                int[] ms = new int[count * n];
                for (int p = 0; p < count; p++) {
                    for (int i = 0; i < n; i++) {
                        metaUsers[p * n + i] = metaUser;
                        scratch[p * n + i] = p;
                        ms[p * n + i] = movies[i];
                    }
                }
                INDArray[] x = m.features(metaUsers, ms);
                x[0] = m.features(scratch, ms)[0]; // the user index column: the spare rows; the rest (metadata) the real user's
                double[] y = m.trainable().predict(x).castTo(DataType.DOUBLE).reshape(count * n).toDoubleVector();
                for (int p = 0; p < count; p++) {
                    out[from + p] = Arrays.copyOfRange(y, p * n, (p + 1) * n);
                }
            } finally {
                for (int k = 0; k < ts.size(); k++) {
                    ts.get(k).get(NDArrayIndex.interval(0, count),
                            NDArrayIndex.all()).assign(saved.get(k));
                }
            }
        }
        return out;
    }
}

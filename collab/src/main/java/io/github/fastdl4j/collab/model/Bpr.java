package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.module.EmbeddingTable;
import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.NioView;
import io.github.fastdl4j.common.module.Parameter;
import io.github.fastdl4j.common.module.Loss;
import io.github.fastdl4j.common.module.RestorableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * Bayesian personalised ranking (Rendle et al. 2009) for implicit feedback, written from scratch:
 * a user's score of a movie is {@code s(u, i) = user_factors[u] . movie_factors[i] + movie_bias[i]},
 * and training pushes each observed interaction (u, i) above a movie j the user has not
 * interacted with, sampled afresh at every step, by minimising
 * {@code -log sigmoid(s(u, i) - s(u, j))} ({@link #loss}). Only the order of the scores means
 * anything: they are not ratings.
 *
 * <p>Inputs: (user, movie) gives the scores; in training the module samples the negatives
 * itself (uniformly among the movies the user did not interact with in training) and returns
 * {@code s(u, i) - s(u, j)}; (user, movie, negative) gives that difference for given negatives
 * (a validation set with fixed negatives, whose mean loss and share of correctly ordered pairs,
 * the sampled AUC, are comparable between epochs).
 */
public final class Bpr implements Module {

    private final int nFactors;
    private final EmbeddingTable userFactors;
    private final EmbeddingTable movieFactors;
    private final EmbeddingTable movieBias;
    private final int nMovies;
    private final int[][] positives;
    // restorable, so a resumed run samples the negatives the uninterrupted run would have (randomState)
    private final RestorableRandom sampler;

    private int[] lastUsers;
    private int[] lastPos;
    private int[] lastNeg;

    /**
     * @param positives per user index, the sorted movie indices of the user's training
     *                  interactions (never sampled as negatives); null for a model that is only
     *                  used for scoring
     */
    public Bpr(int nUsers, int nMovies, int nFactors, int[][] positives, long seed, DataType type) {
        this.nFactors = nFactors;
        this.nMovies = nMovies;
        this.positives = positives;
        this.sampler = new RestorableRandom(seed ^ 0x5DEECE66DL); // SplittableRandom's numbers
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        this.userFactors = EmbeddingTable.sparse("user_factors", Nd4j.randn(rng, nUsers, nFactors).castTo(type).muli(0.01), true);
        this.movieFactors = EmbeddingTable.sparse("movie_factors", Nd4j.randn(rng, nMovies, nFactors).castTo(type).muli(0.01),
                true);
        this.movieBias = EmbeddingTable.sparse("movie_bias", Nd4j.zeros(type, nMovies, 1), true);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(userFactors.parameter(), movieFactors.parameter(), movieBias.parameter());
    }

    /** Where the negative sampler stands, for a checkpoint. */
    @Override
    public long[] randomState() {
        return new long[]{sampler.state()};
    }

    @Override
    public void randomState(long[] state) {
        if (state.length != 1) {
            throw new IllegalArgumentException("Bpr keeps one sampler state, got " + state.length);
        }
        sampler.state(state[0]);
    }

    /** A negative for {@code user}: a random movie the user did not interact with in training. */
    int sampleNegative(int user) {
        int[] pos = positives[user];
        for (int tries = 0; ; tries++) {
            int j = 1 + sampler.nextInt(nMovies - 1);
            if (tries >= 50 || Arrays.binarySearch(pos, j) < 0) {
                return j; // a user who interacted with nearly everything gets the odd false negative
            }
        }
    }

    @Override
    public INDArray forward(INDArray[] inputs, boolean training) {
        int bs = (int) inputs[0].size(0);
        int[] users = EmbeddingTable.indices(inputs[0], userFactors.rows());
        int[] pos = EmbeddingTable.indices(inputs[1], nMovies);
        int[] neg = null;
        if (inputs.length > 2) {
            neg = EmbeddingTable.indices(inputs[2], nMovies);
        } else if (training) {
            if (positives == null) {
                throw new IllegalStateException("a BPR model trains with its users' training interactions");
            }
            neg = new int[bs];
            for (int i = 0; i < bs; i++) {
                neg[i] = sampleNegative(users[i]);
            }
        }
        if (training) {
            for (int i = 0; i < bs; i++) {
                userFactors.sync(users[i]);
                movieFactors.sync(pos[i]);
                movieBias.sync(pos[i]);
                movieFactors.sync(neg[i]);
                movieBias.sync(neg[i]);
            }
        }
        NioView uf = userFactors.values();
        NioView mf = movieFactors.values();
        NioView mb = movieBias.values();
        INDArray out = Nd4j.create(userFactors.parameter().value().dataType(), bs, 1);
        NioView o = NioView.of(out);
        int k = nFactors;
        for (int i = 0; i < bs; i++) {
            int u = users[i] * k;
            double x = score(uf, mf, mb, u, pos[i], k);
            if (neg != null) {
                x -= score(uf, mf, mb, u, neg[i], k);
            }
            o.set(i, x);
        }
        o.commit();
        if (training) {
            lastUsers = users;
            lastPos = pos;
            lastNeg = neg;
        }
        return out;
    }

    private static double score(NioView uf, NioView mf, NioView mb, int u, int movie, int k) {
        return EmbeddingTable.dot(mb.get(movie), uf, u, mf, movie * k, k);
    }

    @Override
    public void backward(INDArray gradOutput) {
        if (lastUsers == null) {
            throw new IllegalStateException("backward needs a training forward first");
        }
        NioView g = NioView.copyOf(gradOutput, userFactors.parameter().value().dataType());
        NioView uf = userFactors.values();
        NioView mf = movieFactors.values();
        NioView guf = userFactors.grads();
        NioView gmf = movieFactors.grads();
        NioView gmb = movieBias.grads();
        int k = nFactors;
        for (int i = 0; i < lastUsers.length; i++) {
            // d(s(u, i) - s(u, j))/d... : the positive's dot product with dx, the negative's with -dx
            double dx = g.get(i);
            int user = lastUsers[i];
            EmbeddingTable.addDotGradients(dx, uf, guf, user * k, mf, gmf, lastPos[i] * k, k);
            EmbeddingTable.addDotGradients(-dx, uf, guf, user * k, mf, gmf, lastNeg[i] * k, k);
            gmb.add(lastPos[i], dx);
            gmb.add(lastNeg[i], -dx);
            userFactors.touch(user);
            movieFactors.touch(lastPos[i]);
            movieFactors.touch(lastNeg[i]);
            movieBias.touch(lastPos[i]);
            movieBias.touch(lastNeg[i]);
        }
        guf.commit();
        gmf.commit();
        gmb.commit();
        lastUsers = null;
    }

    /** BPR's loss on score differences x: mean of {@code -log sigmoid(x) = log(1 + exp(-x))}; targets are ignored. */
    public static Loss loss() {
        return new Loss() {
            @Override
            public String name() {
                return "bpr";
            }

            @Override
            public double value(INDArray x, INDArray targets) {
                double s = 0;
                double[] v = x.castTo(DataType.DOUBLE).reshape(x.length()).toDoubleVector();
                for (double d : v) {
                    s += d > 0 ? Math.log1p(Math.exp(-d)) : -d + Math.log1p(Math.exp(d)); // stable softplus(-d)
                }
                return s / v.length;
            }

            @Override
            public INDArray gradient(INDArray x, INDArray targets) {
                double[] v = x.castTo(DataType.DOUBLE).reshape(x.length()).toDoubleVector();
                double[] g = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    g[i] = -1 / (1 + Math.exp(v[i])) / v.length; // d/dx log(1 + exp(-x)) = -sigmoid(-x)
                }
                return Nd4j.create(g, x.shape(), 'c').castTo(x.dataType());
            }
        };
    }
}

package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.module.Activations;
import io.github.fastdl4j.common.module.EmbeddingTable;
import io.github.fastdl4j.common.module.LayerSummary;
import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.NioView;
import io.github.fastdl4j.common.module.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lesson's dot-product model with biases, written from scratch (fastai's
 * {@code DotProductBias}): its own parameters {@code user_factors} [users, k],
 * {@code movie_factors} [movies, k], {@code user_bias} [users, 1], {@code movie_bias} [movies, 1],
 * initialised like fastai's {@code create_params} (normal, mean 0, std 0.01), and
 * <pre>prediction = sigmoid_range(user_factors[u] . movie_factors[m] + user_bias[u] + movie_bias[m], low, high)</pre>
 *
 * <p>Forward and backward read the batch's rows, multiply-sum them and scatter the gradients
 * in one tight loop over the parameters' memory ({@link EmbeddingTable#dot}, {@link NioView}):
 * the work per step is a few thousand multiply-adds, far less than the dispatch cost of the ~15
 * ND4J ops it would otherwise take. Gradients are accumulated (the optimiser zeroes them after
 * each step).
 */
public final class DotProductBias implements Module {

    private final int nFactors;
    private final boolean linear;
    private final double low;
    private final double high;
    private final EmbeddingTable userFactors;
    private final EmbeddingTable movieFactors;
    private final EmbeddingTable userBias;
    private final EmbeddingTable movieBias;

    // what backward needs from the last training forward
    private int[] lastUsers;
    private int[] lastMovies;
    private double[] lastSigmoid;

    /**
     * @param nUsers   user vocabulary size (index 0 = unknown)
     * @param nMovies  movie vocabulary size
     * @param nFactors latent factors per user and movie
     * @param low      y range low (0 for ratings)
     * @param high     y range high (5.5 for 1..5 stars)
     * @param seed     initialisation seed
     * @param type     FLOAT for training, DOUBLE for gradient checks
     */
    public DotProductBias(int nUsers, int nMovies, int nFactors, double low, double high, long seed, DataType type) {
        this(nUsers, nMovies, nFactors, false, low, high, seed, type);
    }

    /**
     * The same parameters without sigmoid_range: {@code prediction = u . m + b_u + b_m}, where the
     * biases also carry the global mean. This is how ALS models predict; Spark-trained models are
     * stored this way, and it trains like the sigmoid version. At inference predictions are clipped
     * to {@code low..high} (the rating scale), as recommender libraries do; training sees the
     * unclipped value, so the gradient never vanishes.
     */
    public static DotProductBias linear(int nUsers, int nMovies, int nFactors, double low, double high, long seed,
                                        DataType type) {
        return new DotProductBias(nUsers, nMovies, nFactors, true, low, high, seed, type);
    }

    private DotProductBias(int nUsers, int nMovies, int nFactors, boolean linear, double low, double high, long seed,
                           DataType type) {
        this.nFactors = nFactors;
        this.linear = linear;
        this.low = low;
        this.high = high;
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        // embedding tables: a batch touches few rows, so a lazy optimiser can skip the rest
        this.userFactors = EmbeddingTable.sparse("user_factors", createParams(type, rng, nUsers, nFactors), true);
        this.movieFactors = EmbeddingTable.sparse("movie_factors", createParams(type, rng, nMovies, nFactors), true);
        this.userBias = EmbeddingTable.sparse("user_bias", createParams(type, rng, nUsers, 1), true);
        this.movieBias = EmbeddingTable.sparse("movie_bias", createParams(type, rng, nMovies, 1), true);
    }

    /** fastai's {@code create_params}: normal(0, 0.01). */
    private static INDArray createParams(DataType type, Random rng, int rows, int cols) {
        return Nd4j.randn(rng, rows, cols).castTo(type).muli(0.01);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(userFactors.parameter(), movieFactors.parameter(), userBias.parameter(), movieBias.parameter());
    }

    public int nFactors() {
        return nFactors;
    }

    /** True when there is no sigmoid_range ({@link #linear}). */
    public boolean isLinear() {
        return linear;
    }

    public double low() {
        return low;
    }

    public double high() {
        return high;
    }

    /** fastai's summary of the lesson's {@code DotProductBias}: its four embeddings, the dot product plus biases, sigmoid_range. */
    @Override
    public List<LayerSummary> layers(INDArray[] sample) {
        long bs = sample[0].size(0);
        List<LayerSummary> rows = new ArrayList<>();
        for (EmbeddingTable t : List.of(userFactors, movieFactors, userBias, movieBias)) {
            rows.add(new LayerSummary(t.parameter().name(), "Embedding",
                    new long[]{bs, t.width()}, t.parameter().length()));
        }
        rows.add(new LayerSummary("dot + biases", "(u * m).sum(1) + b", new long[]{bs, 1}, 0));
        if (!linear) {
            String range = String.format(Locale.ROOT, "sigmoid_range(%s, %s)", low, high);
            rows.add(new LayerSummary(range, "SigmoidRange",
                    new long[]{bs, 1}, 0));
        }
        return rows;
    }

    /** @param inputs user indices [bs, 1] and movie indices [bs, 1] (any numeric type) */
    @Override
    public INDArray forward(INDArray[] inputs, boolean training) {
        int bs = (int) inputs[0].size(0);
        int[] users = EmbeddingTable.indices(inputs[0], userFactors.rows());
        int[] movies = EmbeddingTable.indices(inputs[1], movieFactors.rows());
        if (training) {
            for (int i = 0; i < bs; i++) { // a lazy optimiser brings the batch's rows up to date first
                userFactors.sync(users[i]); // a row's factors and bias in turn: they share the replayed gap
                userBias.sync(users[i]);
                movieFactors.sync(movies[i]);
                movieBias.sync(movies[i]);
            }
        }
        NioView uf = userFactors.values();
        NioView mf = movieFactors.values();
        NioView ub = userBias.values();
        NioView mb = movieBias.values();
        INDArray out = Nd4j.create(userFactors.parameter().value().dataType(), bs, 1);
        NioView o = NioView.of(out);
        double[] sig = new double[bs];
        int k = nFactors;
        for (int i = 0; i < bs; i++) {
            double z = EmbeddingTable.dot(ub.get(users[i]) + mb.get(movies[i]), uf, users[i] * k, mf, movies[i] * k, k);
            if (linear) {
                o.set(i, training ? z : Math.max(low, Math.min(high, z)));
                continue;
            }
            sig[i] = Activations.sigmoid(z);
            o.set(i, Activations.scaleToRange(sig[i], low, high));
        }
        o.commit();
        if (training) {
            lastUsers = users;
            lastMovies = movies;
            lastSigmoid = sig;
        }
        return out;
    }

    @Override
    public void backward(INDArray gradOutput) {
        if (lastSigmoid == null) {
            throw new IllegalStateException("backward needs a training forward first");
        }
        NioView g = NioView.copyOf(gradOutput, userFactors.parameter().value().dataType());
        NioView uf = userFactors.values();
        NioView mf = movieFactors.values();
        NioView guf = userFactors.grads();
        NioView gmf = movieFactors.grads();
        NioView gub = userBias.grads();
        NioView gmb = movieBias.grads();
        int k = nFactors;
        for (int i = 0; i < lastSigmoid.length; i++) {
            double dz = linear ? g.get(i) : Activations.sigmoidRangeBackward(g.get(i), lastSigmoid[i], low, high);
            int user = lastUsers[i];
            int movie = lastMovies[i];
            EmbeddingTable.addDotGradients(dz, uf, guf, user * k, mf, gmf, movie * k, k);
            gub.add(user, dz);
            gmb.add(movie, dz);
            userFactors.touch(user);
            movieFactors.touch(movie);
            userBias.touch(user);
            movieBias.touch(movie);
        }
        guf.commit();
        gmf.commit();
        gub.commit();
        gmb.commit();
        lastSigmoid = null;
    }
}

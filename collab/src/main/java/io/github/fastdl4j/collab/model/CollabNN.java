package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.module.Activations;
import io.github.fastdl4j.common.module.EmbeddingTable;
import io.github.fastdl4j.common.module.LayerSummary;
import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.NioView;
import io.github.fastdl4j.common.module.Parameter;
import io.github.fastdl4j.common.nn.EmbeddingSizes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Locale;

/**
 * fastbook's {@code CollabNN}, written from scratch like {@link DotProductBias}:
 * <pre>
 * embs = cat(user_embedding[u], movie_embedding[m])          sizes by fastai's rule
 * out  = sigmoid_range(relu(embs W1 + b1) W2 + b2, low, high)
 * </pre>
 * The embedding rows are gathered and their gradients scattered by loops over the parameters'
 * memory ({@link EmbeddingTable}); the 177 x 100 layer's products are BLAS calls, everything else (bias,
 * ReLU, the 100 x 1 layer, sigmoid_range and their gradients) one JVM pass over the batch. Embeddings start
 * at normal(0, 0.01) as fastai's {@code Embedding}; linear weights uniform(-1/sqrt(fan_in),
 * 1/sqrt(fan_in)) as PyTorch's {@code nn.Linear}.
 */
public final class CollabNN implements Module {

    private final int userSize;
    private final int movieSize;
    private final double low;
    private final double high;
    private final EmbeddingTable userEmbedding;
    private final EmbeddingTable movieEmbedding;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;

    private int[] lastUsers;
    private int[] lastMovies;
    private INDArray lastX;
    private INDArray lastHidden;
    private double[] lastSigmoid;

    public CollabNN(int nUsers, int nMovies, int hidden, double low, double high, long seed, DataType type) {
        this.userSize = EmbeddingSizes.rule(nUsers);
        this.movieSize = EmbeddingSizes.rule(nMovies);
        this.low = low;
        this.high = high;
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        int d = userSize + movieSize;
        // updated densely by every optimiser (LAZY applies to the dot models' tables only)
        this.userEmbedding = EmbeddingTable.dense("user_embedding", Nd4j.randn(rng, nUsers, userSize).castTo(type).muli(0.01),
                true);
        this.movieEmbedding = EmbeddingTable.dense("movie_embedding",
                Nd4j.randn(rng, nMovies, movieSize).castTo(type).muli(0.01), true);
        this.w1 = new Parameter("w1", uniform(rng, type, d, hidden, d), true);
        this.b1 = new Parameter("b1", uniform(rng, type, 1, hidden, d), true);
        this.w2 = new Parameter("w2", uniform(rng, type, hidden, 1, hidden), true);
        this.b2 = new Parameter("b2", uniform(rng, type, 1, 1, hidden), true);
    }

    private static INDArray uniform(Random rng, DataType type, int rows, int cols, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        return Nd4j.rand(rng, rows, cols).castTo(type).muli(2 * bound).subi(bound);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(userEmbedding.parameter(), movieEmbedding.parameter(), w1, b1, w2, b2);
    }

    /** fastai's summary of the lesson's {@code CollabNN}: the two embeddings, their concatenation, Linear, ReLU, Linear, sigmoid_range. */
    @Override
    public List<LayerSummary> layers(INDArray[] sample) {
        long bs = sample[0].size(0);
        long hidden = w1.shape()[1];
        String range = String.format(Locale.ROOT, "sigmoid_range(%s, %s)", low, high);
        return List.of(
                new LayerSummary(userEmbedding.parameter().name(), "Embedding",
                        new long[]{bs, userSize}, userEmbedding.parameter().length()),
                new LayerSummary(movieEmbedding.parameter().name(), "Embedding",
                        new long[]{bs, movieSize}, movieEmbedding.parameter().length()),
                new LayerSummary("cat", "torch.cat", new long[]{bs, userSize + movieSize}, 0),
                new LayerSummary("linear1", "Linear", new long[]{bs, hidden},
                        w1.length() + b1.length()),
                new LayerSummary("relu", "ReLU", new long[]{bs, hidden}, 0),
                new LayerSummary("linear2", "Linear", new long[]{bs, 1}, w2.length() + b2.length()),
                new LayerSummary(range, "SigmoidRange",
                        new long[]{bs, 1}, 0));
    }

    @Override
    public INDArray forward(INDArray[] inputs, boolean training) {
        int[] users = EmbeddingTable.indices(inputs[0], userEmbedding.rows());
        int[] movies = EmbeddingTable.indices(inputs[1], movieEmbedding.rows());
        int bs = users.length;
        int d = userSize + movieSize;
        INDArray x = Nd4j.create(w1.value().dataType(), bs, d);
        NioView xv = NioView.of(x);
        userEmbedding.gather(users, xv, d, 0, null, 0, 0);
        movieEmbedding.gather(movies, xv, d, userSize, null, 0, 0);
        xv.commit();
        // the one large product is BLAS (Nd4j.gemm: ND4J's mmul op measured 3-4x slower at this
        // size); bias, ReLU, the 100 -> 1 layer and the sigmoid are one JVM pass over the batch
        INDArray hidden = Nd4j.gemm(x, w1.value(), false, false);
        int h = (int) w1.value().size(1);
        NioView hv = NioView.of(hidden);
        NioView b1v = NioView.of(b1.value());
        NioView w2v = NioView.of(w2.value());
        double bias2 = b2.value().getDouble(0);
        INDArray out = Nd4j.create(hidden.dataType(), bs, 1);
        NioView ov = NioView.of(out);
        double[] sig = new double[bs];
        for (int i = 0; i < bs; i++) {
            double z = bias2;
            for (int j = 0; j < h; j++) {
                double a = Math.max(0, hv.get(i * h + j) + b1v.get(j));
                hv.set(i * h + j, a);
                z += a * w2v.get(j);
            }
            sig[i] = Activations.sigmoid(z);
            ov.set(i, Activations.scaleToRange(sig[i], low, high));
        }
        hv.commit();
        ov.commit();
        if (training) {
            lastUsers = users;
            lastMovies = movies;
            lastX = x;
            lastHidden = hidden;
            lastSigmoid = sig;
        }
        return out;
    }

    @Override
    public void backward(INDArray gradOutput) {
        if (lastSigmoid == null) {
            throw new IllegalStateException("backward needs a training forward first");
        }
        double[] sig = lastSigmoid;
        int bs = sig.length;
        int h = (int) w1.value().size(1);
        NioView g = NioView.of(gradOutput.isView() ? gradOutput.dup() : gradOutput);
        NioView hv = NioView.of(lastHidden);
        NioView w2v = NioView.of(w2.value());
        NioView gw2 = NioView.of(w2.grad());
        NioView gb1 = NioView.of(b1.grad());
        INDArray dz1 = Nd4j.create(lastHidden.dataType(), bs, h);
        NioView dz1v = NioView.of(dz1);
        double gb2 = 0;
        for (int i = 0; i < bs; i++) {
            double dz2 = Activations.sigmoidRangeBackward(g.get(i), sig[i], low, high);
            gb2 += dz2;
            for (int j = 0; j < h; j++) {
                double a = hv.get(i * h + j);
                gw2.add(j, a * dz2);
                if (a > 0) {
                    double d = dz2 * w2v.get(j);
                    dz1v.set(i * h + j, d);
                    gb1.add(j, d);
                }
            }
        }
        gw2.commit();
        gb1.commit();
        dz1v.commit();
        b2.grad().addi(gb2);
        // gemm with transpose flags accumulates straight into the gradient (beta = 1)
        Nd4j.gemm(lastX, dz1, w1.grad(), true, false, 1.0, 1.0);
        INDArray dx = Nd4j.gemm(dz1, w1.value(), false, true);
        NioView dxv = NioView.of(dx);
        int d = userSize + movieSize;
        userEmbedding.scatterAdd(lastUsers, dxv, d, 0, null, 0, 0);
        movieEmbedding.scatterAdd(lastMovies, dxv, d, userSize, null, 0, 0);
        lastSigmoid = null;
    }
}

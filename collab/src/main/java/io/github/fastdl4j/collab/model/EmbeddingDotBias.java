package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.dl4j.SigmoidRange;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

/**
 * The same dot-product-with-biases model as {@link DotProductBias}, assembled from DL4J's
 * built-in layers, for comparison: four {@link EmbeddingLayer}s (user/movie factors and biases),
 * a product vertex, a merge with the two biases, and a frozen all-ones dense layer that sums them
 * (DL4J has no "sum over features" vertex), then sigmoid_range and MSE in a loss layer.
 *
 * <p>Pitfall kept in mind: {@code setInputTypes} would reset the embeddings' nIn to 1, so the
 * graph is built without input types.
 */
public final class EmbeddingDotBias {

    /** Names of the layers that hold the factors and biases. */
    public static final String USER_FACTORS = "user_factors";
    public static final String MOVIE_FACTORS = "movie_factors";
    public static final String USER_BIAS = "user_bias";
    public static final String MOVIE_BIAS = "movie_bias";
    static final String SUM = "sum";
    /** The weights callers read, by plain name: each layer's table. */
    public static final Map<String, String> WEIGHTS = NetworkModel.layerWeights(
            USER_FACTORS, MOVIE_FACTORS, USER_BIAS, MOVIE_BIAS);

    private EmbeddingDotBias() {
    }

    /** Builds and initialises the graph; inputs "user" and "movie" are index columns [bs, 1]. */
    public static ComputationGraph build(int nUsers, int nMovies, int nFactors, double low, double high, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(1e-3, 0.9, 0.99, 1e-5))
                .weightInit(new NormalDistribution(0, 0.01))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs("user", "movie");
        addDotProduct(g, "user", "movie", nUsers, nMovies, nFactors);
        g.addVertex("terms", new MergeVertex(), "dot", USER_BIAS, MOVIE_BIAS);
        addSumAndOutput(g, "terms", nFactors + 2, low, high);
        ComputationGraph net = new ComputationGraph(g.setOutputs("out").build());
        net.init();
        fixSumWeights(net);
        return net;
    }

    /** Adds the four embeddings and the element-wise product "dot" (not yet summed). */
    static void addDotProduct(ComputationGraphConfiguration.GraphBuilder g, String user, String movie,
                              int nUsers, int nMovies, int nFactors) {
        addDotProduct(g, user, movie, nUsers, nMovies, nFactors, null, null);
    }

    /**
     * As {@link #addDotProduct(ComputationGraphConfiguration.GraphBuilder, String, String, int, int, int)};
     * when {@code userSide}/{@code movieSide} name vertices of width {@code nFactors}, they are
     * added to the user/movie factors before the product (side information, as in SVDFeature
     * or LightFM).
     */
    static void addDotProduct(ComputationGraphConfiguration.GraphBuilder g, String user, String movie,
                              int nUsers, int nMovies, int nFactors, String userSide, String movieSide) {
        g.addLayer(USER_FACTORS, embedding(nUsers, nFactors), user)
                .addLayer(MOVIE_FACTORS, embedding(nMovies, nFactors), movie)
                .addLayer(USER_BIAS, embedding(nUsers, 1), user)
                .addLayer(MOVIE_BIAS, embedding(nMovies, 1), movie);
        String u = USER_FACTORS;
        String m = MOVIE_FACTORS;
        if (userSide != null) {
            g.addVertex("user_vector", new ElementWiseVertex(ElementWiseVertex.Op.Add), USER_FACTORS, userSide);
            u = "user_vector";
        }
        if (movieSide != null) {
            g.addVertex("movie_vector", new ElementWiseVertex(ElementWiseVertex.Op.Add), MOVIE_FACTORS, movieSide);
            m = "movie_vector";
        }
        g.addVertex("dot", new ElementWiseVertex(ElementWiseVertex.Op.Product), u, m);
    }

    /** Adds the frozen all-ones sum of {@code input} ({@code width} features) and the sigmoid_range MSE output. */
    static void addSumAndOutput(ComputationGraphConfiguration.GraphBuilder g, String input, int width, double low, double high) {
        g.addLayer(SUM, new FrozenLayerWithBackprop(new DenseLayer.Builder().nIn(width).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build()), input)
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(new SigmoidRange(low, high)).build(), SUM);
    }

    /** Sets the frozen sum layer's weights to ones (done once after init). */
    static void fixSumWeights(ComputationGraph net) {
        net.getLayer(SUM).setParam("W", Nd4j.ones(net.getLayer(SUM).getParam("W").shape()));
    }

    private static EmbeddingLayer embedding(int n, int size) {
        return new EmbeddingLayer.Builder().nIn(n).nOut(size).hasBias(false).activation(Activation.IDENTITY).build();
    }
}

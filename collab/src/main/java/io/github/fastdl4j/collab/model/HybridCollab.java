package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.nn.EmbeddingSizes;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;

/**
 * Dot product + neural network + metadata, the way recommenders in production combine
 * collaborative and content signals:
 * <pre>
 * sigmoid_range((p_u + A x_u) . (q_m + B x_m) + b_u + b_m + c . [x_u, x_m]
 *               + NN([emb(u), emb(m), x_u, x_m]))
 * </pre>
 * where x_u, x_m are the user and movie metadata rows, A, B, c learned projections (side
 * information as in SVDFeature/LightFM) and the NN is Linear(hidden) + ReLU + Linear(1). Inputs: "user", "movie" (indices),
 * "user_meta", "movie_meta" (rows of {@link io.github.fastdl4j.collab.data.MetaFeatures}).
 */
public final class HybridCollab {

    /** The weights callers read, by plain name: the dot product's factors and biases, the nn's embeddings. */
    public static final Map<String, String> WEIGHTS = NetworkModel.layerWeights(
            EmbeddingDotBias.USER_FACTORS, EmbeddingDotBias.MOVIE_FACTORS, EmbeddingDotBias.USER_BIAS,
            EmbeddingDotBias.MOVIE_BIAS, EmbeddingNN.USER_EMBEDDING, EmbeddingNN.MOVIE_EMBEDDING);

    private HybridCollab() {
    }

    public static ComputationGraph build(int nUsers, int nMovies, int nFactors, int userMetaWidth, int movieMetaWidth,
                                         int hidden, double low, double high, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(1e-3, 0.9, 0.99, 1e-5))
                .weightInit(new NormalDistribution(0, 0.01))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs("user", "movie", "user_meta", "movie_meta");
        // metadata projected into the factor space and added to the learned factors, and a
        // metadata bias: movies and users with few ratings borrow from those that look alike
        g.addLayer("user_meta_factors", new DenseLayer.Builder().nIn(userMetaWidth).nOut(nFactors).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "user_meta")
                .addLayer("movie_meta_factors", new DenseLayer.Builder().nIn(movieMetaWidth).nOut(nFactors).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "movie_meta")
                .addVertex("meta", new MergeVertex(), "user_meta", "movie_meta")
                .addLayer("meta_bias", new DenseLayer.Builder().nIn(userMetaWidth + movieMetaWidth).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "meta");
        EmbeddingDotBias.addDotProduct(g, "user", "movie", nUsers, nMovies, nFactors, "user_meta_factors", "movie_meta_factors");
        int width = EmbeddingSizes.rule(nUsers) + EmbeddingSizes.rule(nMovies) + userMetaWidth + movieMetaWidth;
        g.addLayer(EmbeddingNN.USER_EMBEDDING, EmbeddingNN.embedding(nUsers), "user")
                .addLayer(EmbeddingNN.MOVIE_EMBEDDING, EmbeddingNN.embedding(nMovies), "movie")
                .addVertex("nn_in", new MergeVertex(), EmbeddingNN.USER_EMBEDDING, EmbeddingNN.MOVIE_EMBEDDING,
                        "user_meta", "movie_meta")
                .addLayer("hidden", new DenseLayer.Builder().nIn(width).nOut(hidden).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build(), "nn_in")
                .addLayer("nn_out", new DenseLayer.Builder().nIn(hidden).nOut(1).activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER).build(), "hidden")
                .addVertex("terms", new MergeVertex(), "dot", EmbeddingDotBias.USER_BIAS, EmbeddingDotBias.MOVIE_BIAS,
                        "meta_bias", "nn_out");
        EmbeddingDotBias.addSumAndOutput(g, "terms", nFactors + 4, low, high);
        ComputationGraph net = new ComputationGraph(g.setOutputs("out").build());
        net.init();
        EmbeddingDotBias.fixSumWeights(net);
        return net;
    }
}

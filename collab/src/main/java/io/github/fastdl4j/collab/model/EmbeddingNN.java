package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.nn.EmbeddingSizes;
import io.github.fastdl4j.common.dl4j.SigmoidRange;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

/**
 * Neural collaborative filters from DL4J's layers: user and movie embeddings sized by fastai's
 * rule ({@code min(600, round(1.6 n^0.56))}), concatenated, then dense layers.
 * <ul>
 *   <li>{@link #build}: fastbook's {@code CollabNN} from layers (Linear(100) + ReLU + Linear(1),
 *   sigmoid_range), the DL4J counterpart of the from-scratch {@link CollabNN};</li>
 *   <li>{@link #buildWithBatchNorm}: fastai's {@code collab_learner(use_nn=True, layers=[100, 50])},
 *   an {@code EmbeddingNN} (fastai's {@code TabularModel} with {@code lin_first=True}): for each
 *   layer Linear without bias, ReLU, BatchNorm; then Linear(1) and sigmoid_range.</li>
 * </ul>
 */
public final class EmbeddingNN {

    public static final String USER_EMBEDDING = "user_embedding";
    public static final String MOVIE_EMBEDDING = "movie_embedding";
    /** The weights callers read, by plain name: each embedding layer's table. */
    public static final Map<String, String> WEIGHTS = NetworkModel.layerWeights(
            USER_EMBEDDING, MOVIE_EMBEDDING);

    private EmbeddingNN() {
    }

    /** fastbook's CollabNN with one hidden layer of {@code hidden} units. */
    public static ComputationGraph build(int nUsers, int nMovies, int hidden, double low, double high, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = base(seed, nUsers, nMovies);
        int width = EmbeddingSizes.rule(nUsers) + EmbeddingSizes.rule(nMovies);
        g.addLayer("hidden", new DenseLayer.Builder().nIn(width).nOut(hidden).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build(), "embeddings")
                .addLayer("out", output(hidden, low, high), "hidden");
        return init(g);
    }

    /** fastai's EmbeddingNN with batchnorm, e.g. layers {100, 50}. */
    public static ComputationGraph buildWithBatchNorm(int nUsers, int nMovies, int[] layers, double low, double high,
                                                      long seed) {
        ComputationGraphConfiguration.GraphBuilder g = base(seed, nUsers, nMovies);
        int width = EmbeddingSizes.rule(nUsers) + EmbeddingSizes.rule(nMovies);
        String prev = "embeddings";
        for (int i = 0; i < layers.length; i++) {
            // fastai's LinBnDrop(lin_first=True): Linear (no bias: batchnorm follows), ReLU, BatchNorm
            g.addLayer("lin" + i, new DenseLayer.Builder().nIn(width).nOut(layers[i]).hasBias(false)
                    .activation(Activation.RELU).weightInit(WeightInit.RELU).build(), prev);
            g.addLayer("bn" + i, new BatchNormalization.Builder().nIn(layers[i]).nOut(layers[i]).build(), "lin" + i);
            prev = "bn" + i;
            width = layers[i];
        }
        g.addLayer("out", output(width, low, high), prev);
        return init(g);
    }

    private static ComputationGraphConfiguration.GraphBuilder base(long seed, int nUsers, int nMovies) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3, 0.9, 0.99, 1e-5))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder().addInputs("user", "movie")
                .addLayer(USER_EMBEDDING, embedding(nUsers), "user")
                .addLayer(MOVIE_EMBEDDING, embedding(nMovies), "movie")
                .addVertex("embeddings", new MergeVertex(), USER_EMBEDDING, MOVIE_EMBEDDING);
    }

    static EmbeddingLayer embedding(int n) {
        // fastai initialises embeddings with trunc_normal(std=0.01)
        return new EmbeddingLayer.Builder().nIn(n).nOut(EmbeddingSizes.rule(n)).hasBias(false)
                .activation(Activation.IDENTITY).weightInit(new NormalDistribution(0, 0.01)).build();
    }

    static OutputLayer output(int nIn, double low, double high) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(nIn).nOut(1)
                .activation(new SigmoidRange(low, high)).weightInit(WeightInit.XAVIER).build();
    }

    private static ComputationGraph init(ComputationGraphConfiguration.GraphBuilder g) {
        ComputationGraph net = new ComputationGraph(g.setOutputs("out").build());
        net.init();
        return net;
    }
}

package io.github.fastdl4j.tabular.model;

import io.github.fastdl4j.common.dl4j.Dropouts;
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
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * fastai's {@code TabularModel} as a DL4J graph ({@code --dl4j}; the default is the from-scratch
 * {@link TabularNet} of the same {@link TabularSpec}), with one input per categorical column,
 * {@code cat_<column>} (its codes, one column), and {@code cont} (normalised continuous values):
 * <pre>
 * cat_i -> Embedding(n_i, emb_i), i = 1..k -> concat -> Dropout(emb_drop) --------+
 * cont -> BatchNorm -------------------------------------------------------------+-> concat
 *   -> [Linear(no bias) -> ReLU -> BatchNorm -> Dropout(p_i)] per layer -> Linear(1) -> sigmoid_range
 * </pre>
 * A classifier ends in Linear(classes) instead, one logit per class (softmax cross-entropy).
 * Embedding sizes follow fastai's rule {@code min(600, round(1.6 n^0.56))}. With
 * {@link TabularSpec#oneHot()} each embedding is a frozen identity matrix instead, so the first linear
 * layer sees one-hot codes: the same network without learned embeddings, for comparison.
 */
public final class TabularGraph {

    public static final String CONT_INPUT = "cont";

    private TabularGraph() {
    }

    /** Starts a model over these categorical columns and {@code nCont} continuous ones. */
    public static Builder builder(List<String> catNames, int[] cardinalities, int nCont) {
        return new Builder(catNames, cardinalities, nCont);
    }

    /** The input name of a categorical column's codes. */
    public static String catInput(String column) {
        return "cat_" + column;
    }

    /** The layer name of a column's embedding. */
    public static String embeddingLayer(String column) {
        return "emb_" + column;
    }

    /** A column's embedding matrix (rows = vocabulary, #na# first), a view of the network's weights. */
    public static INDArray embedding(ComputationGraph net, String column) {
        return net.getLayer(embeddingLayer(column)).getParam("W");
    }

    /**
     * The network the learner trains: {@link #build}'s graph, each column's embedding readable
     * by its plain name ({@link #embeddingLayer}, as {@link TabularNet} names its tables).
     */
    public static NetworkModel model(TabularSpec s) {
        return new NetworkModel(build(s), NetworkModel.layerWeights(
                s.catNames().stream().map(TabularGraph::embeddingLayer).toArray(String[]::new)));
    }

    /** Builds and initialises the network. */
    public static ComputationGraph build(TabularSpec s) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(s.seed())
                .updater(new Adam(1e-3, 0.9, 0.99, 1e-5))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder();
        List<String> inputs = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        int k = s.catNames().size();
        if (k > 0) {
            List<String> embs = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                String col = s.catNames().get(i);
                // one input per column: a SubsetVertex over one "cat" input cannot backprop, as an
                // EmbeddingLayer returns no gradient for its (index) input ("error not set")
                g.addInputs(catInput(col));
                inputs.add(catInput(col));
                g.addLayer(embeddingLayer(col), embeddingLayerConf(s, i), catInput(col));
                embs.add(embeddingLayer(col));
            }
            String merged = embs.get(0);
            if (k > 1) {
                g.addVertex("embeddings", new MergeVertex(), embs.toArray(String[]::new));
                merged = "embeddings";
            }
            if (s.embDrop() > 0) {
                g.addLayer("emb_drop", new DropoutLayer.Builder().dropOut(Dropouts.drop(s.embDrop())).build(), merged);
                merged = "emb_drop";
            }
            parts.add(merged);
        }
        if (s.nCont() > 0) {
            g.addInputs(CONT_INPUT);
            inputs.add(CONT_INPUT);
            g.addLayer("bn_cont", new BatchNormalization.Builder().nIn(s.nCont()).nOut(s.nCont()).build(), CONT_INPUT);
            parts.add("bn_cont");
        }
        String prev = parts.get(0);
        if (parts.size() > 1) {
            g.addVertex("features", new MergeVertex(), parts.toArray(String[]::new));
            prev = "features";
        }
        int width = (k > 0 ? s.embeddingWidth() : 0) + s.nCont();
        double pendingDrop = 0;
        for (int i = 0; i < s.layers().size(); i++) {
            int out = s.layers().get(i);
            DenseLayer.Builder lin = new DenseLayer.Builder().nIn(width).nOut(out).hasBias(false)
                    .activation(Activation.RELU).weightInit(WeightInit.RELU);
            if (pendingDrop > 0) {
                // DL4J applies a layer's dropout to its input: the previous block's Dropout(p)
                lin.dropOut(Dropouts.drop(pendingDrop));
            }
            g.addLayer("lin" + i, lin.build(), prev);
            g.addLayer("bn" + i, new BatchNormalization.Builder().nIn(out).nOut(out).build(), "lin" + i);
            prev = "bn" + i;
            width = out;
            pendingDrop = s.ps().get(i);
        }
        OutputLayer.Builder o = s.classifier()
                ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(s.nOut())
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                : new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(width).nOut(1)
                        .activation(new SigmoidRange(s.yLow(), s.yHigh())).weightInit(WeightInit.XAVIER);
        if (pendingDrop > 0) {
            o.dropOut(Dropouts.drop(pendingDrop));
        }
        g.addLayer("out", o.build(), prev);
        g.setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static Layer embeddingLayerConf(TabularSpec s, int i) {
        int n = s.cardinalities().get(i);
        if (s.oneHot()) {
            // a frozen identity embedding is a one-hot encoder inside the graph (no n x width input array)
            return new FrozenLayerWithBackprop(new EmbeddingLayer.Builder().nIn(n).nOut(n).hasBias(false)
                    .activation(Activation.IDENTITY).weightInit(WeightInit.IDENTITY).build());
        }
        // fastai initialises embeddings with trunc_normal(std=0.01)
        return new EmbeddingLayer.Builder().nIn(n).nOut(s.embSizes().get(i)).hasBias(false)
                .activation(Activation.IDENTITY).weightInit(new NormalDistribution(0, 0.01)).build();
    }

    /** Options with fastai's Rossmann defaults: layers [1000, 500], ps [0.001, 0.01], emb_drop 0.04. */
    public static final class Builder {
        private final List<String> catNames;
        private final int[] cardinalities;
        private final int nCont;
        private List<Integer> layers = List.of(1000, 500);
        private List<Double> ps = List.of(0.001, 0.01);
        private double embDrop = 0.04;
        private double yLow = 0;
        private double yHigh = 1;
        private boolean oneHot;
        private long seed = 42;
        private boolean dl4jLayers;
        private List<String> classes = List.of();

        private Builder(List<String> catNames, int[] cardinalities, int nCont) {
            this.catNames = List.copyOf(catNames);
            this.cardinalities = cardinalities.clone();
            this.nCont = nCont;
        }

        public Builder layers(int... sizes) {
            this.layers = Arrays.stream(sizes).boxed().toList();
            if (ps.size() != layers.size()) {
                ps = layers.stream().map(x -> 0.0).toList();
            }
            return this;
        }

        public Builder ps(double... p) {
            this.ps = Arrays.stream(p).boxed().toList();
            return this;
        }

        public Builder embDrop(double p) {
            this.embDrop = p;
            return this;
        }

        public Builder yRange(double low, double high) {
            if (!(high > low)) {
                throw new IllegalArgumentException("y range needs high > low, got " + low + ".." + high);
            }
            this.yLow = low;
            this.yHigh = high;
            return this;
        }

        public Builder oneHot(boolean oneHot) {
            this.oneHot = oneHot;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** DL4J's layers (true) or the from-scratch {@link TabularNet} (false, the default). */
        public Builder dl4jLayers(boolean on) {
            this.dl4jLayers = on;
            return this;
        }

        /** A classifier over these classes (two or more; the order is the logits' order). */
        public Builder classes(List<String> names) {
            this.classes = List.copyOf(names);
            return this;
        }

        public TabularSpec spec() {
            List<Integer> cards = Arrays.stream(cardinalities).boxed().toList();
            List<Integer> sizes = cards.stream().map(EmbeddingSizes::rule).toList();
            return new TabularSpec(catNames, cards, sizes, nCont, layers, ps, embDrop, yLow, yHigh, oneHot, seed, dl4jLayers,
                    classes);
        }

        /** The DL4J graph of this spec. */
        public ComputationGraph build() {
            return TabularGraph.build(spec());
        }
    }
}

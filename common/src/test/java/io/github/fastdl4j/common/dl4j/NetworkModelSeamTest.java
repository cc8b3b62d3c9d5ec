package io.github.fastdl4j.common.dl4j;

import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.testing.LinearModule;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModuleModel;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the seam says about a model: its output kind, its weights by plain name. */
class NetworkModelSeamTest {

    private static MultiLayerNetwork net(Activation out, LossFunctions.LossFunction loss) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(loss).nIn(4).nOut(3).activation(out).build()).build());
        net.init();
        return net;
    }

    private static ComputationGraph graph(Activation out) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(2).nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(out).build(), "hidden")
                .setOutputs("out").build());
        g.init();
        return g;
    }

    @Test
    void saysWhetherItsOutputsAreProbabilities() {
        assertTrue(new NetworkModel(net(Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT)).outputsProbabilities());
        assertFalse(new NetworkModel(net(Activation.IDENTITY, LossFunctions.LossFunction.MSE)).outputsProbabilities());
        assertTrue(new NetworkModel(graph(Activation.SOFTMAX)).outputsProbabilities());
        assertFalse(new NetworkModel(graph(Activation.IDENTITY)).outputsProbabilities());
        assertFalse(new ModuleModel(new LinearModule(2, 3, DataType.FLOAT, 1), Losses.mse()).outputsProbabilities());
    }

    @Test
    void probabilitiesAndLossFollowTheOutputKind() {
        INDArray logits = Nd4j.createFromArray(new float[][]{{1, 2, 3}});
        NetworkModel soft = new NetworkModel(net(Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT));
        ModuleModel raw = new ModuleModel(new LinearModule(2, 3, DataType.FLOAT, 1), Losses.mse());
        assertSame(logits, Losses.probabilities(soft, logits));
        double e = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(3) / e, Losses.probabilities(raw, logits).getDouble(0, 2), 1e-6);
        INDArray target = Nd4j.createFromArray(new float[][]{{0, 0, 1}});
        assertEquals(-Math.log(0.5), Losses.crossEntropy(soft).value(Nd4j.createFromArray(new float[][]{{0.25f, 0.25f, 0.5f}}),
                target), 1e-6);
        assertEquals(-Math.log(Math.exp(3) / e), Losses.crossEntropy(raw).value(logits, target), 1e-5);
    }

    @Test
    void weightsByThePlainNamesRegisteredAtBuild() {
        ComputationGraph g = graph(Activation.SOFTMAX);
        NetworkModel m = new NetworkModel(g, Map.of("hidden_weights", "hidden/W", "hidden_bias", "hidden/b"));
        assertEquals(Set.of("hidden_weights", "hidden_bias"), m.weightNames());
        assertSame(g.getLayer("hidden").getParam("W"), m.weights("hidden_weights"));
        assertSame(g.getLayer("hidden").getParam("b"), m.weights("hidden_bias"));
        assertThrows(IllegalArgumentException.class, () -> m.weights("hidden/W"));
        assertThrows(IllegalArgumentException.class, () -> new NetworkModel(g, Map.of("x", "nowhere/W")));
        assertEquals(Map.of("hidden", "hidden/W"), NetworkModel.layerWeights("hidden"));
    }

    @Test
    void theOptimizerIsTheFactorysMaking() {
        LinearModule module = new LinearModule(2, 3, DataType.FLOAT, 1);
        AdamW[] made = new AdamW[1];
        new ModuleModel(module, Losses.mse(), mod -> made[0] = new AdamW(mod, 0.9, 0.99, 1e-5, AdamW.Kernel.ND4J));
        assertEquals(AdamW.Kernel.ND4J, made[0].kernel());
        String defaults = new ModuleModel(new LinearModule(2, 3, DataType.FLOAT, 1), Losses.mse()).describe();
        String explicit = new ModuleModel(new LinearModule(2, 3, DataType.FLOAT, 1), Losses.mse(), AdamW.factory()).describe();
        assertEquals(defaults, explicit);
    }
}

package io.github.fastdl4j.common.train;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.testing.LinearModule;
import io.github.fastdl4j.common.testing.Synthetic;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearnerTest {

    @TempDir
    Path tmp;

    private static Learner moduleLearner(long seed) {
        return Learner.of(new LinearModule(2, 16, DataType.FLOAT, seed), Synthetic.regression(2048, 512, 32, seed),
                Losses.mse(), Metrics.mse(), Metrics.rmse()).quiet(true);
    }

    private static MultiLayerNetwork dl4jNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void moduleFitsSyntheticRegressionToNearZeroLoss() {
        Learner learn = moduleLearner(1);
        double before = learn.validate().loss();
        FitResult r = learn.fitOneCycle(8, 3e-2, 0.0);
        assertEquals(8, r.epochs().size());
        // the target has variance ~0.3; a 16-unit tanh net fits it to well under 1% of that
        assertTrue(r.last().validLoss() < 2e-3, "valid mse " + r.last().validLoss() + " (before " + before + ")");
        assertEquals(r.last().validLoss(), r.last().metrics().get("mse"), 1e-9);
        assertEquals(Math.sqrt(r.last().validLoss()), r.last().metrics().get("rmse"), 1e-9);
    }

    @Test
    void dl4jNetworkFitsTheSameProblem() {
        Learner learn = Learner.of(new NetworkModel(dl4jNet()), Synthetic.regression(2048, 512, 32, 1), Losses.mse(), Metrics.mse()).quiet(true);
        FitResult r = learn.fitOneCycle(8, 3e-2, 0.0);
        assertTrue(r.last().validLoss() < 2e-3, "valid mse " + r.last().validLoss());
    }

    @Test
    void scheduleFollowsFastaisFormula() {
        Learner learn = moduleLearner(2);
        double lrMax = 1e-2;
        FitResult r = learn.fitOneCycle(2, lrMax, 0.0);
        double[] lrs = r.batchLrs();
        int total = lrs.length;
        assertEquals(2 * 64, total);
        // fastai: combined_cos(0.25, lr_max/25, lr_max, lr_max/1e5), evaluated at i/total
        for (int i = 0; i < total; i++) {
            double pos = (double) i / total;
            double expected = pos < 0.25
                    ? fastaiCos(lrMax / 25, lrMax, pos / 0.25)
                    : fastaiCos(lrMax, lrMax / 1e5, (pos - 0.25) / 0.75);
            assertEquals(expected, lrs[i], 1e-12, "step " + i);
        }
        assertEquals(lrMax / 25, lrs[0], 1e-15);
        assertEquals(lrMax, lrs[total / 4], 1e-15);
        assertTrue(lrs[total - 1] < lrMax / 1e3 && lrs[total - 1] > lrMax / 1e5);
        OneCycle oc = new OneCycle(lrMax);
        assertEquals(lrMax / 1e5, oc.lrAt(1.0), 1e-15);
        assertEquals(0.95, oc.beta1At(0), 1e-12);
        assertEquals(0.85, oc.beta1At(0.25), 1e-12);
    }

    private static double fastaiCos(double start, double end, double pos) {
        return start + (1 + Math.cos(Math.PI * (1 - pos))) * (end - start) / 2;
    }

    @Test
    void lrFindSuggestsARateWithinTenfoldOfTheBestOne() {
        // the "known good" rate: the best of a grid, each trained 1 epoch at constant rate from the same start
        double[] grid = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1};
        double best = Double.NaN;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double lr : grid) {
            double loss;
            try {
                loss = moduleLearner(3).fit(1, lr).last().validLoss();
            } catch (TrainingDivergedException e) {
                continue;
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                best = lr;
            }
        }
        Learner learn = moduleLearner(3);
        INDArray before = learn.predict(Nd4j.createFromArray(new float[][]{{0.5f, -0.5f}}));
        LrFindResult r = learn.lrFind();
        assertTrue(r.lrs().length > 20 && r.lrs().length <= 100, "steps " + r.lrs().length);
        assertTrue(r.valley() > best / 10 && r.valley() < best * 10, "valley " + r.valley() + " vs best " + best);
        assertEquals(before.getFloat(0), learn.predict(Nd4j.createFromArray(new float[][]{{0.5f, -0.5f}})).getFloat(0),
                0f, "lrFind restores the weights");
    }

    @Test
    void nanLossStopsTrainingWithAMessage() {
        float[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        float[] y = {0, 1, 2, Float.NaN, 4, 5, 6, 7};
        ArrayDataLoader train = ArrayDataLoader.builder().input(x, 1).label(y, 1).batchSize(2).build();
        Learner learn = Learner.of(new LinearModule(1, 4, DataType.FLOAT, 1), new DataLoaders(train, train),
                Losses.mse()).quiet(true);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> learn.fit(3, 1e-3));
        assertTrue(e.getMessage().contains("NaN at epoch 0, batch 1"), e.getMessage());
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions() throws Exception {
        Learner learn = moduleLearner(4);
        learn.fit(1, 1e-2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 50, 2);
        INDArray expected = learn.predict(x);
        Path zip = tmp.resolve("m.zip");
        learn.save(zip, Map.of("config", Map.of("hidden", 16)));
        ModelArchive a = ModelArchive.open(zip);
        ModuleModel fresh = a.loadInto(new ModuleModel(new LinearModule(2, 16, DataType.FLOAT, 99), Losses.mse()),
                Set.of("config"));
        assertEquals(expected, fresh.predict(new INDArray[]{x}));
        assertEquals(16, a.json("config").get("hidden").asInt());

        Learner net = Learner.of(new NetworkModel(dl4jNet()), Synthetic.regression(256, 64, 32, 1), Losses.mse()).quiet(true);
        net.fit(1, 1e-2);
        INDArray netExpected = net.predict(x);
        net.save(tmp.resolve("n.zip"), Map.of());
        NetworkModel restored = ModelArchive.open(tmp.resolve("n.zip")).loadInto(new NetworkModel(dl4jNet()), Set.of());
        assertEquals(netExpected, restored.predict(new INDArray[]{x}));
        assertTrue(Files.list(tmp).allMatch(p -> !p.getFileName().toString().endsWith(".part")));
    }

    @Test
    void validationMetricsAreComputedOnPredictions() {
        INDArray p = Nd4j.createFromArray(new float[][]{{0.1f, 0.9f}, {0.8f, 0.2f}, {0.3f, 0.7f}});
        INDArray t = Nd4j.createFromArray(new float[][]{{0, 1}, {0, 1}, {0, 1}});
        assertEquals(2.0 / 3, Metrics.accuracy().compute(p, t), 1e-9);
        assertEquals(-(Math.log(0.9) + Math.log(0.2) + Math.log(0.7)) / 3,
                Losses.crossEntropyOnProbabilities().value(p, t), 1e-6);
        INDArray pr = Nd4j.createFromArray(new float[]{1f, 2.5f, -1f}).reshape(3, 1);
        INDArray tr = Nd4j.createFromArray(new float[]{0.5f, 3f, -1f}).reshape(3, 1);
        Loss.ValueAndGradient vg = Losses.mse().valueAndGradient(pr, tr);
        assertEquals(Losses.mse().value(pr, tr), vg.value(), 1e-7, "the fused MSE equals the ND4J one");
        assertEquals(Losses.mse().gradient(pr, tr), vg.gradient());
        assertEquals((0.25 + 0.25) / 3, vg.value(), 1e-7);
        // softmax cross-entropy on logits = cross-entropy on their softmax; gradient = softmax - target
        INDArray logits = Nd4j.createFromArray(new double[][]{{1, 2, 0.5}, {-1, 0, 3}});
        INDArray oneHot = Nd4j.createFromArray(new double[][]{{0, 1, 0}, {1, 0, 0}});
        INDArray probs = org.nd4j.linalg.ops.transforms.Transforms.softmax(logits, true);
        assertEquals(Losses.crossEntropyOnProbabilities().value(probs, oneHot),
                Losses.crossEntropyOnLogits().value(logits, oneHot), 1e-9);
        assertTrue(probs.sub(oneHot).divi(2).equalsWithEps(Losses.crossEntropyOnLogits().gradient(logits, oneHot), 1e-9));
        INDArray logY = Nd4j.createFromArray(new double[]{Math.log(100), Math.log(200)}).reshape(2, 1);
        INDArray logP = Nd4j.createFromArray(new double[]{Math.log(110), Math.log(150)}).reshape(2, 1);
        assertEquals(Math.sqrt((0.01 + 0.0625) / 2), Metrics.expRmspe().compute(logP, logY), 1e-9);
    }
}

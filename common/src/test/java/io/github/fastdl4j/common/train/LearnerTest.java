package io.github.fastdl4j.common.train;

import io.github.fastdl4j.common.module.Loss;
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
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        INDArray probs = Transforms.softmax(logits, true);
        assertEquals(Losses.crossEntropyOnProbabilities().value(probs, oneHot),
                Losses.crossEntropyOnLogits().value(logits, oneHot), 1e-9);
        assertTrue(probs.sub(oneHot).divi(2).equalsWithEps(Losses.crossEntropyOnLogits().gradient(logits, oneHot), 1e-9));
        INDArray logY = Nd4j.createFromArray(new double[]{Math.log(100), Math.log(200)}).reshape(2, 1);
        INDArray logP = Nd4j.createFromArray(new double[]{Math.log(110), Math.log(150)}).reshape(2, 1);
        assertEquals(Math.sqrt((0.01 + 0.0625) / 2), Metrics.expRmspe().compute(logP, logY), 1e-9);
    }

    /** A listener that records what the fit asked of it. */
    private static final class Trace implements Listener {
        final List<Double> lrs = new ArrayList<>();

        @Override
        public void onBatchEnd(TrainingState s) {
            lrs.add(s.lr());
        }
    }

    @Test
    void earlyStoppingEndsTheFitWhenTheValidLossStopsImproving() {
        // a rate far too high: the valid loss soon stops improving
        Learner learn = moduleLearner(5).addListener(new EarlyStopping(2));
        FitResult r = learn.fit(30, 0.5);
        assertTrue(r.epochs().size() < 30, "stopped after " + r.epochs().size());
        // the last two epochs did not improve on the best before them
        double best = r.epochs().subList(0, r.epochs().size() - 2).stream().mapToDouble(EpochResult::validLoss).min().orElseThrow();
        r.epochs().subList(r.epochs().size() - 2, r.epochs().size()).forEach(e -> assertTrue(e.validLoss() >= best));
        int bestEpoch = r.epochs().stream().filter(e -> e.validLoss() == best).findFirst().orElseThrow().epoch();
        assertEquals(r.epochs().size() - 3, bestEpoch);
        String line = String.format(Locale.ROOT, "No improvement since epoch %d: early stopping (best valid_loss %.6f "
                + "at epoch %d; none better in the 2 epochs after it, --early-stop 2)", bestEpoch, best, bestEpoch);
        assertEquals(line, r.stopReason());
    }

    /** The stop is said on stdout, after the table, in fastai's words. */
    @Test
    void earlyStoppingSaysWhichEpochWasBestAndWhyItStopped() {
        Learner learn = moduleLearner(5).quiet(false).addListener(new EarlyStopping(2));
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        FitResult r;
        try {
            r = learn.fit(30, 0.5);
        } finally {
            System.setOut(out);
        }
        List<String> lines = captured.toString().lines().toList();
        assertEquals(r.stopReason(), lines.get(lines.size() - 1));
        assertTrue(r.stopReason().startsWith("No improvement since epoch "), r.stopReason());
    }

    @Test
    void saveModelKeepsTheBestEpochsWeights() {
        Learner learn = moduleLearner(6);
        Trainable model = learn.model();
        // remember each epoch's predictions, to find the best epoch's afterwards
        List<INDArray> perEpoch = new ArrayList<>();
        INDArray x = Nd4j.rand(DataType.FLOAT, 20, 2);
        learn.addListener(new Listener() {
            @Override
            public void onEpochEnd(TrainingState s, EpochResult r) {
                perEpoch.add(model.predict(new INDArray[]{x}).dup());
            }
        }).addListener(new SaveModel(model));
        FitResult r = learn.fit(8, 0.3); // noisy at this rate: the last epoch is rarely the best
        int best = 0;
        for (int i = 1; i < r.epochs().size(); i++) {
            best = r.epochs().get(i).validLoss() < r.epochs().get(best).validLoss() ? i : best;
        }
        assertEquals(best, r.kept().epoch());
        assertEquals(perEpoch.get(best), model.predict(new INDArray[]{x}), "the model holds the best epoch's weights");
        assertEquals(r.epochs().get(best).validLoss(), learn.validate().loss(), 1e-6);
    }

    @Test
    void reduceLrOnPlateauDividesLaterRates() {
        Trace trace = new Trace();
        ReduceLROnPlateau plateau = new ReduceLROnPlateau("valid_loss", 1, 10);
        Learner learn = moduleLearner(7).addListener(plateau).addListener(trace);
        FitResult r = learn.fit(12, 0.5);
        assertTrue(plateau.scale() < 1, "a plateau was met at this rate");
        double last = trace.lrs.get(trace.lrs.size() - 1);
        assertEquals(0.5 * plateau.scale(), last, 1e-12, "the schedule's rate times the reduction");
        assertEquals(r.batchLrs()[r.batchLrs().length - 1], last, 1e-12, "the recorder sees the reduced rate");
    }

    @Test
    void aResumedFitEndsExactlyWhereTheUninterruptedOneDoes() throws Exception {
        Learner whole = moduleLearner(8);
        FitResult uninterrupted = whole.fitOneCycle(4, 3e-2, 0.01);

        // the same run, checkpointed, "killed" after epoch 1 (an exception from a listener)
        Path ckpt = tmp.resolve("checkpoint.zip");
        Learner killed = moduleLearner(8);
        killed.addListener(new Checkpoint(killed.model(), ckpt, Map.of("config", Map.of("lr", 3e-2))))
                .addListener(new Listener() {
                    @Override
                    public void onEpochEnd(TrainingState s, EpochResult r) {
                        if (r.epoch() == 1) {
                            throw new IllegalStateException("killed");
                        }
                    }
                });
        assertThrows(IllegalStateException.class, () -> killed.fitOneCycle(4, 3e-2, 0.01));

        // a new process: a fresh model reads the checkpoint and continues
        // the same data and order, other initial weights: the checkpoint must replace them
        Learner resumed = Learner.of(new LinearModule(2, 16, DataType.FLOAT, 99), Synthetic.regression(2048, 512, 32, 8),
                Losses.mse(), Metrics.mse(), Metrics.rmse()).quiet(true);
        FitState state = ModelArchive.open(ckpt).resumeInto(resumed.model(), Set.of("config"));
        assertEquals(2, state.epochsDone());
        FitResult rest = resumed.resumeFrom(state).fitOneCycle(4, 3e-2, 0.01);
        assertEquals(4, rest.epochs().size());
        assertEquals(uninterrupted.batchLosses().length, rest.batchLosses().length);
        for (int e = 0; e < 4; e++) {
            assertEquals(uninterrupted.epochs().get(e).validLoss(), rest.epochs().get(e).validLoss(), 0, "epoch " + e);
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, 2);
        assertEquals(whole.predict(x), resumed.predict(x), "identical weights after the last epoch");
    }

    @Test
    void summaryListsParametersAndLayersWithShapes() {
        ModelSummary m = moduleLearner(1).summary();
        assertEquals(List.of("w1", "b1", "w2", "b2", "(output)"), m.rows().stream().map(ModelSummary.Row::name).toList());
        assertEquals(2 * 16 + 16 + 16 + 1, m.totalParams());
        assertTrue(m.table().contains("Total params: 65"), m.table());
        // shapes at the training batch size (32), not the validation batch's (256)
        assertArrayEquals(new long[]{32, 2}, m.inputShape());
        assertArrayEquals(new long[]{32, 1}, m.rows().get(m.rows().size() - 1).shape());
        assertTrue(m.table().startsWith("LinearModule (from scratch) (input shape: 32 x 2)"), m.table());
        // a validation set smaller than a training batch: its rows repeated to a batch
        ModelSummary small = Learner.of(new LinearModule(2, 16, DataType.FLOAT, 1), Synthetic.regression(2048, 20, 64, 1),
                Losses.mse()).summary();
        assertArrayEquals(new long[]{64, 2}, small.inputShape());
        ModelSummary d = Learner.of(new NetworkModel(dl4jNet()), Synthetic.regression(256, 64, 32, 1), Losses.mse()).summary();
        assertEquals(2, d.rows().size());
        assertArrayEquals(new long[]{d.inputShape()[0], 16}, d.rows().get(0).shape(), "the dense layer's output for the batch");
        assertEquals(2 * 16 + 16, d.rows().get(0).params());
        assertEquals(2 * 16 + 16 + 16 + 1, d.totalParams());
    }

    @Test
    void lrFindSuggestionsFollowFastaisDefinitions() {
        // a curve that is flat, falls steepest between points 4 and 5 of the trimmed part, then rises
        double[] lrs = new double[40];
        double[] losses = new double[40];
        for (int i = 0; i < 40; i++) {
            lrs[i] = 1e-5 * Math.pow(10, i / 8.0);
            losses[i] = i < 10 ? 2.0 : i < 20 ? 2.0 - 0.1 * (i - 9) - (i == 12 ? 0.3 : 0) : 1.0 + 0.2 * (i - 20);
        }
        LrFindResult r = LrFindResult.of(lrs, losses, 40);
        // the trimmed curve starts at 40/10 = 4; the steepest fall is from i=11 to i=12
        assertEquals(lrs[11], r.steep(), 1e-15);
        int minAt = 20; // 1.0 before the rise... the lowest is at 19 (1.1 - 0.1*10 = 1.0)
        double min = Double.MAX_VALUE;
        for (int i = 4; i < 35; i++) {
            if (losses[i] < min) {
                min = losses[i];
                minAt = i;
            }
        }
        assertEquals(lrs[minAt] / 10, r.minimum(), 1e-15);
    }

    /** lr-find's 100 rates, as {@link Learner#lrFind()} steps them. */
    private static double[] lrFindRates() {
        double[] lrs = new double[100];
        for (int i = 0; i < 100; i++) {
            lrs[i] = 1e-7 * Math.pow(1e8, i / 100.0);
        }
        return lrs;
    }

    /**
     * A noisy flat start (the smoothed loss of the first steps jumps by 0.3) then a real descent:
     * fastai's steepest adjacent pair is a jump of the flat start; ours is in the descent.
     */
    @Test
    void lrFindSteepIsInTheDescentNotTheNoisyFlatStart() {
        double[] lrs = lrFindRates();
        double[] losses = new double[100];
        for (int i = 0; i < 100; i++) {
            // 2.3 down to 0.6 by 0.05 a step, by 0.25 from step 70 to 71; then divergence
            losses[i] = i < 50 ? (i % 2 == 0 ? 2.3 : 2.0)
                    : i <= 70 ? 2.3 - 0.05 * (i - 50)
                    : i <= 80 ? 1.05 - 0.05 * (i - 71)
                    : 0.6 + 0.2 * (i - 80);
        }
        LrFindResult r = LrFindResult.of(lrs, losses, 100);
        assertTrue(r.hasSteep());
        assertEquals(lrs[70], r.steep(), 1e-15, "steep at " + r.steep());     // fastai's rule: lrs[11], a jump of the flat start
        assertTrue(r.suggestions().contains(String.format(Locale.ROOT, "steep %.2e", lrs[70])), r.suggestions());
    }

    /** A curve that never falls (a flat, noisy loss, then divergence) offers no steep, and says so. */
    @Test
    void lrFindOffersNoSteepWhereTheLossNeverFalls() {
        double[] lrs = lrFindRates();
        double[] losses = new double[100];
        for (int i = 0; i < 100; i++) {
            losses[i] = i < 70 ? 0.05 + 0.002 * (i % 3) : 0.05 * Math.pow(1.2, i - 70);
        }
        LrFindResult r = LrFindResult.of(lrs, losses, 100);
        assertFalse(r.hasSteep());
        assertTrue(Double.isNaN(r.steep()));
        assertTrue(r.suggestions().endsWith("no steep (the loss has no descent: it never falls clearly below its noise before its minimum)"), r.suggestions());
    }
}

package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.dl4j.Dropouts;
import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.vision.data.Mnist;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitecturesTest {

    // slow: 20 steps of every DL4J graph on MNIST; the quick loop keeps the from-scratch build's
    // (ScratchBuildTest), FastNetTest's equality with these graphs and every graph's step below
    @Tag("slow")
    @ParameterizedTest
    @EnumSource(Arch.class)
    void outputIsADistributionOverTenDigitsAndAFewStepsLowerTheLoss(Arch arch) {
        ComputationGraph net = Architectures.build(arch, new ArchOptions("relu", 0.25, true, 1));
        INDArray out = net.output(false, Nd4j.randn(DataType.FLOAT, 3, 1, 28, 28))[0];
        assertArrayEquals(new long[]{3, 10}, out.shape());
        assertEquals(3.0, out.sumNumber().doubleValue(), 1e-4);
        Learner learn = Learner.of(new NetworkModel(net), Mnist.sample().loaders(100, 1, 0), Losses.crossEntropyOnProbabilities(),
                Metrics.accuracy()).quiet(true);
        double before = learn.validate().loss();
        FitResult r = learn.fitOneCycle(2, 1e-2, 0.01);
        // 20 steps on 1,000 digits: the loss falls from ~2.3-2.5 (chance) by at least 0.5
        assertTrue(r.last().validLoss() < before - 0.5, arch + ": " + before + " -> " + r.last().validLoss());
    }

    /** Every architecture in every build it has: colour 32x32 images, 4 classes, from the data's shape. */
    static Stream<Arguments> archAndBuild() {
        return Arrays.stream(Arch.values()).flatMap(a -> Arrays.stream(Build.values())
                .map(b -> Arguments.of(a, b)));
    }

    @ParameterizedTest
    @MethodSource("archAndBuild")
    void everyArchitectureTrainsOnColourImagesOfAnotherSizeAndClassCount(Arch arch, Build build) {
        InputSpec in = new InputSpec(3, 32, List.of("a", "b", "c", "d"), new double[]{0.4, 0.5, 0.6},
                new double[]{0.2, 0.25, 0.3}, InputSpec.FOLDER, 0.2, null);
        VisionModel model = VisionModel.create(arch, build, new ArchOptions("relu", 0.1, true, 3), in);
        Nd4j.getRandom().setSeed(5);
        float[] x = Nd4j.randn(DataType.FLOAT, 16, 3, 32, 32).data().asFloat();
        float[] y = new float[16 * 4];
        for (int i = 0; i < 16; i++) {
            y[i * 4 + i % 4] = 1;
        }
        var loader = ArrayDataLoader.builder().input(x, 3, 32, 32).label(y, 4).batchSize(8);
        INDArray batch = Nd4j.create(Arrays.copyOf(x, 8 * 3 * 32 * 32), new long[]{8, 3, 32, 32}, 'c');
        INDArray before = model.probabilities(batch).dup();
        assertArrayEquals(new long[]{8, 4}, before.shape(), arch + " " + build);
        assertEquals(8.0, before.sumNumber().doubleValue(), 1e-4);
        Learner learn = new Learner(model.model(), new DataLoaders(loader.shuffle(1).build(),
                loader.build()), model.loss(), List.of(Metrics.accuracy())).quiet(true);
        FitResult r = learn.fitOneCycle(1, 1e-2, 0.01);
        assertTrue(Double.isFinite(r.last().validLoss()), arch + " " + build);
        INDArray after = model.probabilities(batch);
        assertTrue(!before.equals(after), arch + " " + build + ": a training step changes the outputs");
        // the float[] entry point normalises with the per-channel statistics
        float[] p = model.probabilities(new float[3 * 32 * 32]);
        assertEquals(4, p.length);
    }

    /**
     * simple-cnn's five stride-2 layers take 40x40 to 2x2, not 1x1: both builds average the class
     * scores over the last map (global average pooling) and give the same kind of output.
     */
    @ParameterizedTest
    @EnumSource(value = Build.class)
    void simpleCnnAveragesTheLastMapWhenItIsLargerThanOneByOne(Build build) {
        InputSpec in = new InputSpec(1, 40, List.of("a", "b", "c"), new double[]{0.5}, new double[]{0.25},
                InputSpec.FOLDER, 0.2, null);
        VisionModel model = VisionModel.create(Arch.SIMPLE_CNN, build, ArchOptions.defaults(1), in);
        INDArray p = model.probabilities(Nd4j.randn(DataType.FLOAT, 5, 1, 40, 40));
        assertArrayEquals(new long[]{5, 3}, p.shape());
        assertEquals(5.0, p.sumNumber().doubleValue(), 1e-4);
        // MNIST's net still ends at 1x1: its DL4J graph's "flatten" sees [n, 10, 1, 1]
        ComputationGraph mnist = Architectures.build(Arch.SIMPLE_CNN, ArchOptions.defaults(1));
        assertArrayEquals(new long[]{2, 10, 1, 1},
                mnist.feedForward(Nd4j.randn(DataType.FLOAT, 2, 1, 28, 28), false).get("conv5_bn").shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mish", "relu"})
    void activationAndBatchnormOptions(String activation) {
        ComputationGraph net = Architectures.build(Arch.STRIDE2, new ArchOptions(activation, 0, false, 1));
        String json = net.getConfiguration().toJson();
        assertTrue(json.toLowerCase().contains(activation), activation);
        assertTrue(!json.contains("BatchNormalization"), "no batchnorm layer when batchnorm=false");
        assertThrows(IllegalArgumentException.class, () -> new ArchOptions("tanh", 0, true, 1));
    }

    @Test
    void dropoutProbabilityIsConvertedToDl4jsKeepProbability() {
        Dropout d = Dropouts.drop(0.25);
        assertEquals(0.75, d.getP(), 0);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 200, 500);
        Nd4j.getRandom().setSeed(3);
        INDArray out = d.applyDropout(ones.dup(), Nd4j.createUninitialized(DataType.FLOAT, 200, 500), 0, 0,
                LayerWorkspaceMgr.noWorkspaces());
        double dropped = out.eq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        // 100,000 Bernoulli(0.25) draws: std 0.0014, so +-0.01 is over 7 sigma
        assertEquals(0.25, dropped, 0.01);
        double survivor = out.maxNumber().doubleValue();
        assertEquals(1 / 0.75, survivor, 1e-5, "survivors are scaled by 1/(1-p)");
        assertEquals(1.0, out.eq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue()
                + out.eq((float) (1 / 0.75)).castTo(DataType.DOUBLE).meanNumber().doubleValue(), 1e-9,
                "every value is either dropped or scaled");
    }
}

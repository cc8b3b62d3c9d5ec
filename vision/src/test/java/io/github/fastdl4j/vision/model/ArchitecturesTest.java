package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.vision.data.Mnist;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitecturesTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void outputIsADistributionOverTenDigitsAndAFewStepsLowerTheLoss(Arch arch) {
        ComputationGraph net = Architectures.build(arch, new ArchOptions("relu", 0.25, true, 1));
        INDArray out = net.output(false, Nd4j.randn(DataType.FLOAT, 3, 1, 28, 28))[0];
        assertArrayEquals(new long[]{3, 10}, out.shape());
        assertEquals(3.0, out.sumNumber().doubleValue(), 1e-4);
        Learner learn = Learner.of(new io.github.fastdl4j.common.dl4j.NetworkModel(net), Mnist.sample().loaders(100, 1, 0), Losses.crossEntropyOnProbabilities(),
                Metrics.accuracy()).quiet(true);
        double before = learn.validate().loss();
        FitResult r = learn.fitOneCycle(2, 1e-2, 0.01);
        // 20 steps on 1,000 digits: the loss falls from ~2.3-2.5 (chance) by at least 0.5
        assertTrue(r.last().validLoss() < before - 0.5, arch + ": " + before + " -> " + r.last().validLoss());
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
        Dropout d = io.github.fastdl4j.common.dl4j.Dropouts.drop(0.25);
        assertEquals(0.75, d.getP(), 0);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 200, 500);
        Nd4j.getRandom().setSeed(3);
        INDArray out = d.applyDropout(ones.dup(), Nd4j.createUninitialized(DataType.FLOAT, 200, 500), 0, 0,
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
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

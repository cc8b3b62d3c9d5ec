package io.github.fastdl4j.vision.model.fast;

import io.github.fastdl4j.common.module.LayerSummary;
import io.github.fastdl4j.common.train.ModelSummary;
import io.github.fastdl4j.vision.VisionLearner;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import io.github.fastdl4j.vision.model.Build;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fastai's {@code learn.summary()} of the from-scratch convnets: the lesson's 28 -> 14 -> 7 -> 4 -> 2 -> 1 at the training batch size. */
class FastNetSummaryTest {

    @Test
    void simpleCnnShowsEachLayersOutputAtTheTrainingBatchSizeAndItsParameters() {
        VisionLearner learn = VisionLearner.of(Mnist.sample()).arch(Arch.SIMPLE_CNN).build(Build.SCRATCH).batchSize(64).build();
        ModelSummary s = learn.learner().summary();
        assertArrayEquals(new long[]{64, 1, 28, 28}, s.inputShape());
        List<String> names = s.rows().stream().map(ModelSummary.Row::name).toList();
        assertEquals(List.of("conv1", "conv1_bn", "conv1_relu", "conv2", "conv2_bn", "conv2_relu", "conv3", "conv3_bn",
                "conv3_relu", "conv4", "conv4_bn", "conv4_relu", "conv5", "conv5_bn", "flatten"), names);
        assertEquals(List.of("Conv2d", "BatchNorm2d", "ReLU", "Conv2d", "BatchNorm2d", "ReLU", "Conv2d", "BatchNorm2d", "ReLU",
                "Conv2d", "BatchNorm2d", "ReLU", "Conv2d", "BatchNorm2d", "Flatten"), s.rows().stream().map(ModelSummary.Row::type).toList());
        long[][] shapes = {{64, 8, 14, 14}, {64, 8, 14, 14}, {64, 8, 14, 14}, {64, 16, 7, 7}, {64, 16, 7, 7}, {64, 16, 7, 7},
                {64, 32, 4, 4}, {64, 32, 4, 4}, {64, 32, 4, 4}, {64, 64, 2, 2}, {64, 64, 2, 2}, {64, 64, 2, 2}, {64, 10, 1, 1},
                {64, 10, 1, 1}, {64, 10}};
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(shapes[i], s.rows().get(i).shape(), names.get(i) + ": " + Arrays.toString(s.rows().get(i).shape()));
        }
        // 5x5x1x8, 3x3x8x16, 3x3x16x32, 3x3x32x64, 3x3x64x10 kernels (no bias before batchnorm); gamma and beta per channel
        long[] params = {200, 16, 0, 1152, 32, 0, 4608, 64, 0, 18432, 128, 0, 5760, 20, 0};
        assertArrayEquals(params, s.rows().stream().mapToLong(ModelSummary.Row::params).toArray());
        FastNet net = FastNet.of(Arch.SIMPLE_CNN, ArchOptions.defaults(42), 1, 28, 10);
        assertEquals(LayerSummary.trainable(net.parameters()), s.totalParams());
        assertEquals(30412, s.totalParams());
        assertEquals(s.totalParams(), s.trainableParams());
        assertTrue(s.table().startsWith("FastNet (from scratch) (input shape: 64 x 1 x 28 x 28)"), s.table());
        assertTrue(s.table().contains("64 x 16 x 7 x 7"), s.table());
    }

    /** Every architecture's rows end in the class scores, and count every trained value once. */
    @Test
    void everyArchitecturesRowsEndInTheClassScoresAndCountEveryTrainedValue() {
        for (Arch arch : Arch.values()) {
            FastNet net = FastNet.of(arch, new ArchOptions("relu", 0.25, true, 1), 3, 32, 7);
            List<LayerSummary> rows = net.layers(new INDArray[]{
                    Nd4j.zeros(DataType.FLOAT, 5, 3, 32, 32)});
            assertArrayEquals(new long[]{5, 7}, rows.get(rows.size() - 1).shape(), arch.cliName());
            assertEquals(LayerSummary.trainable(net.parameters()), rows.stream().mapToLong(LayerSummary::params).sum(),
                    arch.cliName());
        }
    }
}

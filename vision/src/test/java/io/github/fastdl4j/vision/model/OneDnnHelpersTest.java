package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.dl4j.OneDnnHelpers;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The oneDNN helpers, switched on by our shim, compute what DL4J's own layers compute. */
class OneDnnHelpersTest {

    @AfterEach
    void off() {
        OneDnnHelpers.enable(false);
    }

    private static INDArray gradient(ComputationGraph net, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void sameOutputsAndTrainingStepsAsTheStockLayers(Arch arch) {
        OneDnnHelpers.enable(false);
        ComputationGraph stock = Architectures.build(arch, new ArchOptions("relu", 0, true, 7));
        OneDnnHelpers.enable(true);
        assertTrue(OneDnnHelpers.active(), "the -onednn-avx2 build with the shim turns the helpers on");
        ComputationGraph ours = Architectures.build(arch, new ArchOptions("relu", 0, true, 7));
        ours.setParams(stock.params().dup());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 16, 1, 28, 28);
        INDArray y = Nd4j.eye(10).getRows(IntStream.range(0, 16).map(i -> i % 10).toArray())
                .castTo(DataType.FLOAT);
        // float kernels summing in different orders: agreement to 1e-4 absolute on probabilities
        double diff = ours.output(false, x)[0].sub(stock.output(false, x)[0]).amaxNumber().doubleValue();
        assertTrue(diff < 1e-4, arch + ": inference outputs differ by " + diff);
        // gradients (training mode: batch statistics in batchnorm), relative to their largest entry;
        // comparing parameters after Adam steps would not do: Adam moves every weight by about
        // lr whatever the gradient's size, so round-off in near-zero gradients flips whole steps
        INDArray g1 = gradient(stock, x, y);
        INDArray g2 = gradient(ours, x, y);
        double rel = g2.sub(g1).amaxNumber().doubleValue() / g1.amaxNumber().doubleValue();
        // 1e-2: float sums in other orders give ~1e-5; max-pool ties between ReLU zeros may route
        // a gradient to another cell of the block (classic: 1.8e-3 measured); a wrong kernel gives O(1)
        assertTrue(rel < 1e-2, arch + ": gradients differ by " + rel + " of the largest");
    }
}

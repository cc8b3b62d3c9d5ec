package io.github.fastdl4j.tabular.model;

import io.github.fastdl4j.common.module.Buffer;
import io.github.fastdl4j.common.module.GradientCheck;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModelSummary;
import io.github.fastdl4j.common.train.ModuleModel;
import io.github.fastdl4j.common.train.Trainable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TabularNetTest {

    static TabularGraph.Builder small() {
        return TabularGraph.builder(List.of("shop", "day"), new int[]{6, 4}, 3).layers(8, 5).ps(0, 0).embDrop(0)
                .yRange(0, 3).seed(7);
    }

    static INDArray[] inputs(int n, DataType type, long seed) {
        Random r = new Random(seed);
        INDArray shop = Nd4j.create(type, n, 1), day = Nd4j.create(type, n, 1);
        for (int i = 0; i < n; i++) {
            shop.putScalar(i, 0, r.nextInt(6));
            day.putScalar(i, 0, r.nextInt(4));
        }
        INDArray cont = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), n, 3).castTo(type).muli(4).subi(1);
        return new INDArray[]{shop, day, cont};
    }

    /** fastai's summary of TabularModel: each layer's output at the batch size, and trainable values adding up to the model's. */
    @Test
    void summaryShowsEachLayerAtTheBatchSize() {
        TabularSpec spec = small().ps(0, 0.5).embDrop(0.1).spec();
        TabularNet net = new TabularNet(spec, DataType.FLOAT);
        ModuleModel model = new ModuleModel(net, Losses.mse());
        ModelSummary s = model.summary(inputs(64, DataType.FLOAT, 1));
        int e0 = spec.embSizes().get(0);
        int e1 = spec.embSizes().get(1);
        assertEquals(List.of("Embedding", "Embedding", "Dropout", "BatchNorm1d", "Linear", "ReLU", "BatchNorm1d", "Linear", "ReLU",
                        "BatchNorm1d", "Dropout", "Linear", "SigmoidRange"),
                s.rows().stream().map(ModelSummary.Row::type).toList());
        long[][] shapes = {{64, e0}, {64, e1}, {64, e0 + e1}, {64, 3}, {64, 8}, {64, 8}, {64, 8}, {64, 5}, {64, 5}, {64, 5},
                {64, 5}, {64, 1}, {64, 1}};
        long[] params = {6L * e0, 4L * e1, 0, 2 * 3, (e0 + e1 + 3) * 8L, 0, 2 * 8, 8 * 5, 0, 2 * 5, 0, 5 + 1, 0};
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(shapes[i], s.rows().get(i).shape(), s.rows().get(i).name());
            assertEquals(params[i], s.rows().get(i).params(), s.rows().get(i).name());
        }
        assertEquals(net.parameterCount(), s.totalParams());
    }

    @Test
    void runningStatisticsAreBuffersThatTrainingForwardsUpdateAndTheOptimiserNeverSees() throws Exception {
        TabularNet net = new TabularNet(small().spec(), DataType.FLOAT);
        assertTrue(net.parameters().stream().noneMatch(p -> p.name().contains("running_")));
        assertEquals(List.of("bn_cont_running_mean", "bn_cont_running_var", "bn0_running_mean", "bn0_running_var",
                "bn1_running_mean", "bn1_running_var"), net.buffers().stream().map(Buffer::name).toList());
        ModuleModel model = new ModuleModel(net, Losses.mse());
        INDArray before = net.buffers().get(0).value().dup();
        INDArray[] x = inputs(16, DataType.FLOAT, 3);
        model.trainStep(new MultiDataSet(x, new INDArray[]{Nd4j.ones(DataType.FLOAT, 16, 1)}),
                new Trainable.StepSettings(1e-2, 0.01, 0.9, 0));
        assertTrue(!before.equals(net.buffers().get(0).value()), "a training forward moves the running mean");
        // saved with the weights, under the names saved models always used
        assertTrue(model.ownsEntry(ModuleModel.PARAMETERS_DIR + "bn0_running_var.npy"));
        assertEquals(net.buffers().get(3).value(), model.weights("bn0_running_var"));
    }

    @Test
    void backwardMatchesNumericGradients() {
        // double precision, no dropout: batch statistics make every row depend on every other, the
        // hardest part of the hand-written batchnorm backward
        TabularNet net = new TabularNet(small().spec(), DataType.DOUBLE);
        INDArray[] in = inputs(16, DataType.DOUBLE, 1);
        INDArray y = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(2), 16, 1).castTo(DataType.DOUBLE).muli(3);
        double err = GradientCheck.maxRelativeError(net, in, y, Losses.mse(), 1e-6, 40, 3);
        assertTrue(err < 1e-4, "max relative gradient error " + err);
        TabularNet oneHot = new TabularNet(small().oneHot(true).spec(), DataType.DOUBLE);
        double err2 = GradientCheck.maxRelativeError(oneHot, in, y, Losses.mse(), 1e-6, 40, 3);
        assertTrue(err2 < 1e-4, "one-hot: max relative gradient error " + err2);
    }

    @Test
    void outputsStayInTheYRangeAndInferenceUsesRunningStatistics() {
        TabularNet net = new TabularNet(small().ps(0.5, 0.5).embDrop(0.3).spec(), DataType.FLOAT);
        INDArray[] in = inputs(64, DataType.FLOAT, 4);
        INDArray train = net.forward(in, true);
        for (double v : train.toDoubleVector()) {
            assertTrue(v > 0 && v < 3, "sigmoid_range(0, 3) gave " + v);
        }
        // inference: no dropout, running statistics, so the same rows give the same answer
        assertArrayEquals(net.forward(in, false).toFloatVector(), net.forward(in, false).toFloatVector());
        assertEquals(1, net.forward(new INDArray[]{in[0].getRow(0).reshape(1, 1), in[1].getRow(0).reshape(1, 1),
                in[2].getRow(0).reshape(1, 3)}, false).length(), "one row predicts alone at inference");
    }

    @Test
    void dl4jGraphHasTheSameShapeOfNetwork() {
        TabularSpec spec = small().ps(0.01, 0.1).embDrop(0.04).spec();
        ComputationGraph g = TabularGraph.build(spec);
        TabularNet net = new TabularNet(spec, DataType.FLOAT);
        assertEquals(net.parameters().stream().filter(p -> !p.name().contains("running")).mapToLong(p -> p.length()).sum(),
                g.numParams() - 2 * (3 + 8 + 5) - 0, "same trainable weights (DL4J also counts running mean/var)");
        INDArray[] in = inputs(10, DataType.FLOAT, 5);
        assertArrayEquals(new long[]{10, 1}, g.output(false, in)[0].shape());
        assertEquals(6 * spec.embSizes().get(0), TabularGraph.embedding(g, "shop").length());
    }
}

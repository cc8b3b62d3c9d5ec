package io.github.fastdl4j.common.train;

import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.dl4j.NetworkModel;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's DL4J iterator does not say how many batches it holds; one-cycle needs the count before
 * the first step. Declared, it is never read ahead; otherwise it is read once per Learner, not once
 * per fit; a wrong declaration is said after the first epoch and the schedule stays in range.
 */
class ForeignIteratorCountTest {

    /** Counts every batch handed out, so a counting pass shows. */
    static final class Counting extends ListDataSetIterator<DataSet> {
        int served;

        Counting(int batches) {
            super(batches(batches), 1);
        }

        static List<DataSet> batches(int n) {
            Nd4j.getRandom().setSeed(7);
            return IntStream.range(0, n)
                    .mapToObj(i -> new DataSet(Nd4j.rand(DataType.FLOAT, 8, 3), Nd4j.rand(DataType.FLOAT, 8, 1))).toList();
        }

        @Override
        public DataSet next() {
            served++;
            return super.next();
        }
    }

    private static Learner learner(DataLoaders data) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam()).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(1)
                        .activation(Activation.IDENTITY).build()).build());
        net.init();
        return new Learner(new NetworkModel(net), data, Losses.mse(), List.of()).quiet(true);
    }

    private static DataSetIterator valid() {
        return new SingletonDataSetIterator(new DataSet(Nd4j.zeros(DataType.FLOAT, 4, 3), Nd4j.zeros(DataType.FLOAT, 4, 1)));
    }

    @Test
    void aDeclaredCountIsNeverReadAhead() {
        Counting train = new Counting(5);
        FitResult fit = learner(DataLoaders.of(train, valid(), 5)).fitOneCycle(2, 1e-2, 0.01);
        assertEquals(10, train.served, "two epochs of five batches, no counting pass");
        assertEquals(10, fit.batchLrs().length);
    }

    @Test
    void anUndeclaredCountIsReadOncePerLearnerAndGivesTheSameSchedule() {
        Counting counted = new Counting(5);
        Learner learn = learner(DataLoaders.of(counted, valid()));
        FitResult first = learn.fitOneCycle(2, 1e-2, 0.01);
        assertEquals(15, counted.served, "one counting pass, then two epochs");
        learn.fitOneCycle(1, 1e-2, 0.01);
        assertEquals(20, counted.served, "the count is kept for the next fit");

        FitResult declared = learner(DataLoaders.of(new Counting(5), valid(), 5)).fitOneCycle(2, 1e-2, 0.01);
        assertArrayEquals(declared.batchLrs(), first.batchLrs(), 0.0, "one-cycle laid out over the same ten steps");
    }

    @Test
    void aWrongCountIsSaidAndTheScheduleStaysInRange() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        FitResult fit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            fit = learner(DataLoaders.of(new Counting(5), valid(), 3)).quiet(false).fitOneCycle(2, 1e-2, 0.01);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("the training data gave 5 batches in epoch 1, not the 3 it declared"), printed);
        double[] lrs = fit.batchLrs();
        assertEquals(10, lrs.length);
        for (int i = 6; i < 10; i++) { // past the declared six steps: fastai's final rate, not a second cycle
            assertEquals(1e-2 / 1e5, lrs[i], 1e-12, "step " + i);
        }
    }

    @Test
    void aCountBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DataLoaders.of(new Counting(2), valid(), 0));
    }
}

package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.module.GradientCheck;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModelSummary;
import io.github.fastdl4j.common.train.ModuleModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DotProductBiasTest {

    private static INDArray col(double... v) {
        return Nd4j.createFromArray(v).reshape(v.length, 1);
    }

    /** fastai's summary: the four embeddings at the training batch size, the dot product, sigmoid_range. */
    @Test
    void summaryShowsEachLayerAtTheBatchSize() {
        DotProductBias m = new DotProductBias(944, 1683, 50, 0, 5.5, 42, DataType.FLOAT);
        INDArray[] batch = {Nd4j.zeros(DataType.FLOAT, 64, 1), Nd4j.zeros(DataType.FLOAT, 64, 1)};
        ModelSummary s = new ModuleModel(m, Losses.mse())
                .summary(batch);
        assertEquals(List.of("user_factors", "movie_factors", "user_bias", "movie_bias", "dot + biases",
                        "sigmoid_range(0.0, 5.5)"),
                s.rows().stream().map(ModelSummary.Row::name).toList());
        long[][] shapes = {{64, 50}, {64, 50}, {64, 1}, {64, 1}, {64, 1}, {64, 1}};
        long[] params = {944 * 50, 1683 * 50, 944, 1683, 0, 0};
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(shapes[i], s.rows().get(i).shape(), s.rows().get(i).name());
            assertEquals(params[i], s.rows().get(i).params(), s.rows().get(i).name());
        }
        assertEquals(m.parameterCount(), s.totalParams());
        assertTrue(s.table().startsWith("DotProductBias (from scratch) (input shape: 64 x 1)"), s.table());
    }

    @Test
    void parametersHaveFastaiNamesShapesAndInit() {
        DotProductBias m = new DotProductBias(944, 1683, 50, 0, 5.5, 42, DataType.FLOAT);
        assertArrayEquals(new long[]{944, 50}, m.parameter("user_factors").shape());
        assertArrayEquals(new long[]{1683, 50}, m.parameter("movie_factors").shape());
        assertArrayEquals(new long[]{944, 1}, m.parameter("user_bias").shape());
        assertArrayEquals(new long[]{1683, 1}, m.parameter("movie_bias").shape());
        double std = m.parameter("movie_factors").value().stdNumber().doubleValue();
        assertEquals(0.01, std, 0.0005, "normal(0, 0.01) like fastai's create_params");
    }

    @Test
    void forwardIsSigmoidRangeOfDotPlusBiases() {
        DotProductBias m = new DotProductBias(3, 4, 2, 0, 5.5, 1, DataType.DOUBLE);
        m.parameter("user_factors").value().assign(Nd4j.createFromArray(new double[][]{{0, 0}, {1, 2}, {0.5, -1}}));
        m.parameter("movie_factors").value().assign(Nd4j.createFromArray(new double[][]{{0, 0}, {3, 1}, {-1, 0}, {0, 2}}));
        m.parameter("user_bias").value().assign(col(0, 0.1, -0.2));
        m.parameter("movie_bias").value().assign(col(0, 0.3, 0, -0.5));
        INDArray out = m.forward(new INDArray[]{col(1, 2), col(1, 3)}, false);
        double z1 = 1 * 3 + 2 * 1 + 0.1 + 0.3;
        double z2 = 0.5 * 0 - 1 * 2 - 0.2 - 0.5;
        assertEquals(5.5 / (1 + Math.exp(-z1)), out.getDouble(0), 1e-12);
        assertEquals(5.5 / (1 + Math.exp(-z2)), out.getDouble(1), 1e-12);
    }

    @Test
    void handWrittenGradientsMatchFiniteDifferences() {
        DotProductBias m = new DotProductBias(6, 5, 4, 0, 5.5, 3, DataType.DOUBLE);
        for (var p : m.parameters()) {
            p.value().muli(50); // leave the flat start of the sigmoid so every term matters
        }
        // a batch with a repeated user and movie: their gradients must add up
        INDArray users = col(1, 2, 2, 5, 3);
        INDArray movies = col(4, 1, 4, 2, 4);
        INDArray y = col(4, 2, 5, 1, 3);
        double err = GradientCheck.maxRelativeError(m, new INDArray[]{users, movies}, y, Losses.mse(), 1e-6, 60, 7);
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void linearVariantHasExactGradientsAndClipsOnlyAtInference() {
        DotProductBias m = DotProductBias.linear(6, 5, 4, 1, 5, 3, DataType.DOUBLE);
        for (var p : m.parameters()) {
            p.value().muli(50);
        }
        INDArray users = col(1, 2, 2, 5, 3);
        INDArray movies = col(4, 1, 4, 2, 4);
        INDArray y = col(4, 2, 5, 1, 3);
        double err = GradientCheck.maxRelativeError(m, new INDArray[]{users, movies}, y, Losses.mse(), 1e-6, 60, 7);
        assertTrue(err < 1e-6, "max relative error " + err);
        double[] train = m.forward(new INDArray[]{users, movies}, true).toDoubleVector();
        double[] infer = m.forward(new INDArray[]{users, movies}, false).toDoubleVector();
        boolean someOutside = false;
        for (int i = 0; i < train.length; i++) {
            someOutside |= train[i] < 1 || train[i] > 5;
            assertEquals(Math.max(1, Math.min(5, train[i])), infer[i], 1e-12);
        }
        assertTrue(someOutside, "the scaled-up parameters put some raw predictions outside 1..5");
    }
}

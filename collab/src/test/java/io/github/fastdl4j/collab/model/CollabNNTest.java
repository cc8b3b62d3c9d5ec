package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.common.module.GradientCheck;
import io.github.fastdl4j.common.nn.EmbeddingSizes;
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

class CollabNNTest {

    private static INDArray col(double... v) {
        return Nd4j.createFromArray(v).reshape(v.length, 1);
    }

    @Test
    void embeddingSizesFollowFastaisRule() {
        assertEquals(74, EmbeddingSizes.rule(944));
        assertEquals(102, EmbeddingSizes.rule(1665)); // fastbook's ml-100k dls (titles as items) has 1665
        assertEquals(600, EmbeddingSizes.rule(10_000_000));
        CollabNN m = new CollabNN(944, 1683, 100, 0, 5.5, 1, DataType.FLOAT);
        assertArrayEquals(new long[]{944, 74}, m.parameter("user_embedding").shape());
        assertArrayEquals(new long[]{1683, 103}, m.parameter("movie_embedding").shape());
        assertArrayEquals(new long[]{177, 100}, m.parameter("w1").shape());
    }

    /** fastai's summary: each layer's output for the training batch and its parameters, adding up to the model's. */
    @Test
    void summaryShowsEachLayerAtTheBatchSize() {
        CollabNN m = new CollabNN(944, 1683, 100, 0, 5.5, 1, DataType.FLOAT);
        INDArray[] batch = {Nd4j.zeros(DataType.FLOAT, 64, 1), Nd4j.zeros(DataType.FLOAT, 64, 1)};
        ModelSummary s = new ModuleModel(m, Losses.mse())
                .summary(batch);
        assertEquals(List.of("Embedding", "Embedding", "torch.cat", "Linear", "ReLU", "Linear", "SigmoidRange"),
                s.rows().stream().map(ModelSummary.Row::type).toList());
        long[][] shapes = {{64, 74}, {64, 103}, {64, 177}, {64, 100}, {64, 100}, {64, 1}, {64, 1}};
        long[] params = {944 * 74, 1683 * 103, 0, 177 * 100 + 100, 0, 100 + 1, 0};
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(shapes[i], s.rows().get(i).shape(), s.rows().get(i).name());
            assertEquals(params[i], s.rows().get(i).params(), s.rows().get(i).name());
        }
        assertEquals(m.parameterCount(), s.totalParams());
    }

    @Test
    void handWrittenGradientsMatchFiniteDifferences() {
        CollabNN m = new CollabNN(7, 9, 6, 0, 5.5, 2, DataType.DOUBLE);
        for (String name : new String[]{"user_embedding", "movie_embedding"}) {
            m.parameter(name).value().muli(100); // embeddings of order 1, so the hidden layer is not flat
        }
        INDArray users = col(1, 2, 2, 6, 3, 1);
        INDArray movies = col(4, 1, 4, 8, 4, 2);
        INDArray y = col(4, 2, 5, 1, 3, 3);
        double err = GradientCheck.maxRelativeError(m, new INDArray[]{users, movies}, y, Losses.mse(), 1e-6, 80, 7);
        // ReLU kinks can sit within eps of a pre-activation; with these seeds none does
        assertTrue(err < 1e-5, "max relative error " + err);
    }
}

package io.github.fastdl4j.common.data;

import io.github.fastdl4j.common.testing.Synthetic;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The loaders say how much data they hold, so callers ask them instead of casting or reading them through. */
class DataLoadersSizeTest {

    @Test
    void ownLoadersKnowTheirSizes() {
        DataLoaders d = Synthetic.regression(100, 30, 32, 1);
        assertEquals(100, d.trainSize());
        assertEquals(30, d.validSize());
        assertEquals(4, d.trainBatches()); // 32 + 32 + 32 + 4
    }

    @Test
    void aUsersIteratorsSizeIsUnknown() {
        DataSetIterator one = new SingletonDataSetIterator(new DataSet(Nd4j.zeros(2, 3), Nd4j.zeros(2, 1)));
        DataLoaders d = DataLoaders.of(one, one);
        assertEquals(-1, d.trainSize());
        assertEquals(-1, d.validSize());
        assertEquals(-1, d.trainBatches());
    }
}

package io.github.fastdl4j.common.module;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NioViewTest {

    /** Small copies run on one thread, large ones (over 2^18 values) in one range per core: both exact. */
    @ParameterizedTest
    @ValueSource(ints = {7, 1_000_003})
    void bulkCopiesAreExactBothWays(int n) {
        float[] values = new float[n];
        Random r = new Random(n);
        for (int i = 0; i < n; i++) {
            values[i] = r.nextFloat() - 0.5f;
        }
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, n);
        NioView.copy(values, a);
        assertArrayEquals(values, a.toFloatVector());
        float[] back = new float[n];
        NioView.copy(a, back);
        assertArrayEquals(values, back);
        // a longer array: only the first n values take part
        INDArray longer = Nd4j.zeros(DataType.FLOAT, n + 5);
        NioView.copy(values, longer);
        assertEquals(0f, longer.getFloat(n + 4));
    }

    @Test
    void bulkCopiesNeedAContiguousFloatArrayLongEnough() {
        assertThrows(IllegalArgumentException.class, () -> NioView.copy(new float[4], Nd4j.zeros(DataType.DOUBLE, 4)));
        assertThrows(IllegalArgumentException.class, () -> NioView.copy(new float[5], Nd4j.zeros(DataType.FLOAT, 4)));
        INDArray m = Nd4j.zeros(DataType.FLOAT, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> NioView.copy(m.getColumn(1), new float[4]));
    }
}

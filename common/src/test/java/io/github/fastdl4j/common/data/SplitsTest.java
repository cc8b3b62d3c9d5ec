package io.github.fastdl4j.common.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SplitsTest {

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Split a = Splits.random(1000, 0.2, 42);
        Split b = Splits.random(1000, 0.2, 42);
        assertArrayEquals(a.valid(), b.valid());
        assertArrayEquals(a.train(), b.train());
        assertFalse(Arrays.equals(a.valid(), Splits.random(1000, 0.2, 43).valid()));
    }

    @Test
    void partitionOfAllRows() {
        Split s = Splits.random(1001, 0.2, 7);
        assertEquals(200, s.valid().length);
        assertEquals(801, s.train().length);
        int[] all = IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.valid())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1001).toArray(), all);
    }

    @Test
    void byTimeKeepsTheLatestForValidation() {
        long[] t = {5, 1, 9, 3, 7, 9};
        Split s = Splits.byTime(t, 7);
        assertArrayEquals(new int[]{2, 4, 5}, s.valid());
        assertArrayEquals(new int[]{0, 1, 3}, s.train());
        Split last = Splits.lastByTime(t, 0.5);
        assertArrayEquals(new int[]{2, 4, 5}, last.valid());
        assertThrows(IllegalArgumentException.class, () -> Splits.byTime(t, 100));
        assertThrows(IllegalArgumentException.class, () -> Splits.random(10, 1.0, 1));
    }

    @Test
    void loaderShufflesReproduciblyAndCoversEveryRow() {
        float[] x = new float[10];
        for (int i = 0; i < 10; i++) {
            x[i] = i;
        }
        ArrayDataLoader a = ArrayDataLoader.builder().input(x, 1).label(x, 1).batchSize(4).shuffle(3).build();
        ArrayDataLoader b = ArrayDataLoader.builder().input(x, 1).label(x, 1).batchSize(4).shuffle(3).build();
        assertEquals(3, a.batchCount());
        float[] seen = new float[10];
        int k = 0;
        while (a.hasNext()) {
            var ba = a.next();
            var bb = b.next();
            assertArrayEquals(ba.getFeatures(0).toFloatVector(), bb.getFeatures(0).toFloatVector());
            assertArrayEquals(ba.getFeatures(0).toFloatVector(), ba.getLabels(0).toFloatVector());
            for (float v : ba.getFeatures(0).toFloatVector()) {
                seen[k++] = v;
            }
        }
        Arrays.sort(seen);
        assertArrayEquals(x, seen);
    }
}

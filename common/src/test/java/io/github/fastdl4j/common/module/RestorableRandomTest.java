package io.github.fastdl4j.common.module;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RestorableRandomTest {

    @Test
    void drawsWhatSplittableRandomDrawsAndContinuesFromASavedState() {
        SplittableRandom reference = new SplittableRandom(42 ^ 0x5DEECE66DL);
        RestorableRandom r = new RestorableRandom(42 ^ 0x5DEECE66DL);
        for (int i = 0; i < 1000; i++) {
            assertEquals(reference.nextDouble(), r.nextDouble(), 0, "draw " + i); // masks as before the change
        }
        RestorableRandom resumed = new RestorableRandom(0);
        resumed.state(r.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(r.nextLong(), resumed.nextLong());
        }
    }

    /** BPR's negative sampler draws bounded ints: the same as SplittableRandom's, odd and power-of-two bounds alike. */
    @Test
    void boundedIntsAreSplittableRandomsToo() {
        for (int bound : new int[]{1, 2, 7, 1024, 1681, 1_000_003, Integer.MAX_VALUE}) {
            SplittableRandom reference = new SplittableRandom(bound);
            RestorableRandom r = new RestorableRandom(bound);
            for (int i = 0; i < 2000; i++) {
                assertEquals(reference.nextInt(bound), r.nextInt(bound), "bound " + bound + ", draw " + i);
            }
        }
        SplittableRandom reference = new SplittableRandom(5);
        RestorableRandom r = new RestorableRandom(5);
        for (int i = 0; i < 1000; i++) {
            assertEquals(reference.nextInt(), r.nextInt());
        }
    }
}

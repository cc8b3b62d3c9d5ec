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
}

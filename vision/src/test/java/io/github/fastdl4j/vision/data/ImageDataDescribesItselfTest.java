package io.github.fastdl4j.vision.data;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The data says what a run prints and records about it, so the CLI needs no cast to Mnist or ImageFolder. */
class ImageDataDescribesItselfTest {

    @Test
    void mnistDescribesItsSplitAndAddsNothing() {
        ImageData d = Mnist.sample();
        Mnist m = (Mnist) d;
        assertEquals(String.format(Locale.ROOT, "MNIST: 800 training and 200 validation images (taken from the %d training images), "
                + "%d test images kept for the end (pixel mean %.4f, std %.4f)", m.trainSize(), m.testSize(), m.mean(), m.std()),
                d.describe(800, 200, false, 1.5));
        assertEquals("MNIST: all 1000 training images train; the " + m.testSize() + " test images validate "
                + "(--valid-size 0, fastbook's layout: make no choice on these numbers)", d.describe(1000, m.testSize(), true, 1.5));
        assertEquals("", d.inputNote());
        assertEquals(Map.of(), d.facts());
    }
}

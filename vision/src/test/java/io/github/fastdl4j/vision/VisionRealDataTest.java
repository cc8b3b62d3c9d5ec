package io.github.fastdl4j.vision;

import io.github.fastdl4j.common.data.IdxReader;
import io.github.fastdl4j.common.testing.RealData;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import io.github.fastdl4j.vision.model.Architectures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Full MNIST from FASTDL4J_DATA (fails in CI when missing). */
class VisionRealDataTest {

    @Test
    void simpleCnnOneEpochAbove97Percent() {
        Mnist m = Mnist.load(RealData.require("mnist"));
        assertEquals(60_000, m.trainSize());
        assertEquals(10_000, m.testSize());
        assertEquals(0.1307, m.mean(), 1e-4, "MNIST's well-known pixel mean");
        Learner learn = Learner.of(Architectures.build(Arch.SIMPLE_CNN, ArchOptions.defaults(42)), m.loaders(512, 42, 0),
                Losses.crossEntropyOnProbabilities(), Metrics.accuracy()).quiet(true);
        FitResult r = learn.fitOneCycle(1, 0.06, 0.01);
        double acc = r.last().metrics().get("accuracy");
        assertTrue(acc > 0.97, "test accuracy after one epoch " + acc);
    }
}

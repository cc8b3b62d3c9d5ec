package io.github.fastdl4j.vision;

import io.github.fastdl4j.common.testing.RealData;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import io.github.fastdl4j.vision.model.Build;
import io.github.fastdl4j.vision.model.VisionModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Full MNIST from FASTDL4J_DATA (fails in CI when missing). */
@Tag("real-data")
class VisionRealDataTest {

    @ParameterizedTest
    @EnumSource(value = Build.class, names = {"ONEDNN", "SCRATCH"})
    void simpleCnnOneEpochAbove97Percent(Build build) {
        Mnist m = Mnist.load(RealData.require("mnist"));
        assertEquals(60_000, m.trainSize());
        assertEquals(10_000, m.testSize());
        assertEquals(0.1307, m.mean(), 1e-4, "MNIST's well-known pixel mean");
        VisionModel model = VisionModel.create(Arch.SIMPLE_CNN, build, ArchOptions.defaults(42), m.mean(), m.std());
        Learner learn = new Learner(model.model(), m.loaders(512, 42, 0), model.loss(), List.of(Metrics.accuracy()))
                .quiet(true);
        FitResult r = learn.fitOneCycle(1, 0.06, 0.01);
        double acc = r.last().metrics().get("accuracy");
        assertTrue(acc > 0.97, build + ": test accuracy after one epoch " + acc);
    }
}

package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.vision.data.Mnist;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The from-scratch build ({@code FastNet}) as a vision model: the default, trains, saves and loads for every architecture. */
class ScratchBuildTest {

    /** The quick loop trains simple-cnn; {@link #everyOtherArchitectureLearnsAndRoundTrips} the rest. */
    @ParameterizedTest
    @EnumSource(value = Arch.class, names = "SIMPLE_CNN")
    void aFewStepsLowerTheLossAndSaveLoadRoundTripIsExact(Arch arch, @TempDir Path tmp) throws Exception {
        learnsAndRoundTrips(arch, tmp);
    }

    @Tag("slow")
    @ParameterizedTest
    @EnumSource(value = Arch.class, names = "SIMPLE_CNN", mode = EnumSource.Mode.EXCLUDE)
    void everyOtherArchitectureLearnsAndRoundTrips(Arch arch, @TempDir Path tmp) throws Exception {
        learnsAndRoundTrips(arch, tmp);
    }

    private static void learnsAndRoundTrips(Arch arch, Path tmp) throws Exception {
        Mnist m = Mnist.sample();
        VisionModel model = VisionModel.create(arch, Build.SCRATCH, new ArchOptions("relu", 0.25, true, 3), m.mean(), m.std());
        Learner learn = new Learner(model.model(), m.loaders(100, 3, 0), model.loss(), List.of(Metrics.accuracy())).quiet(true);
        double before = learn.validate().loss();
        FitResult r = learn.fitOneCycle(2, 1e-2, 0.01);
        // 20 steps on 1,000 digits: the loss falls from ~2.3-2.5 (chance) by at least 0.5, as the DL4J graphs
        assertTrue(r.last().validLoss() < before - 0.5, arch + ": " + before + " -> " + r.last().validLoss());
        Path file = tmp.resolve("model.zip");
        model.save(file, Provenance.of("vision", arch.cliName(), Map.of(), 3, "sample", "test"));
        VisionModel loaded = VisionModel.load(file);
        assertEquals(Build.SCRATCH, loaded.spec().buildKind());
        INDArray images = m.loaders(200, 3, 0).valid().next().getFeatures(0);
        // inference uses batchnorm's running statistics: they must come back too
        assertEquals(model.probabilities(images), loaded.probabilities(images));
        assertArrayEquals(model.probabilities(m.rawTestImage(5)), loaded.probabilities(m.rawTestImage(5)));
    }

    @Test
    void scratchIsTheDefaultForEveryArchitecture() {
        for (Arch a : Arch.values()) {
            assertEquals(Build.SCRATCH, Build.fastest(a));
        }
    }
}

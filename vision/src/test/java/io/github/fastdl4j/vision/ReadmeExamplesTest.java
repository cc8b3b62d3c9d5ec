package io.github.fastdl4j.vision;

import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.vision.data.ImageFolder;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.VisionModel;
import io.github.fastdl4j.vision.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** README's vision library example, as written. */
class ReadmeExamplesTest {

    @Test
    void visionOnAnyFolderOfImages(@TempDir Path dir) throws Exception {
        Path photos = TestImages.trainValid(dir.resolve("photos"), List.of("cat", "dog"), 24);

        // --- README example starts
        ImageFolder images = ImageFolder.load(photos, new ImageFolder.Options(28, 3, 0.2, false)); // size, channels, valid share, strict
        VisionLearner learn = VisionLearner.of(images).arch(Arch.SIMPLE_CNN).batchSize(16).build();
        learn.fitOneCycle(3, 0.02, 0.01);
        learn.model().save(dir.resolve("model.zip"), Provenance.of("vision", "simple-cnn", Map.of(), 42, images.checksum(), ""));
        VisionModel back = VisionModel.load(dir.resolve("model.zip"));  // classes and normalisation saved with it
        // --- README example ends

        assertEquals(List.of("cat", "dog"), back.input().classes());
    }
}

package io.github.fastdl4j.vision.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.vision.data.Mnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VisionModelTest {

    @TempDir
    Path tmp;

    private static InputSpec colour() {
        return new InputSpec(3, 24, List.of("cat", "dog", "owl"), new double[]{0.41, 0.52, 0.63}, new double[]{0.21, 0.22, 0.23},
                InputSpec.FOLDER, 0.25, null);
    }

    @ParameterizedTest
    @CsvSource({"simple-cnn,scratch", "stride2,stock", "wide-cnn,onednn"})
    void saveLoadRoundTripKeepsClassesNormalisationAndOutputsExactly(String archName, String buildName) throws Exception {
        VisionModel m = VisionModel.create(Arch.of(archName), Build.of(buildName), ArchOptions.defaults(4), colour());
        Path file = tmp.resolve(archName + ".zip");
        m.save(file, Provenance.of("vision", archName, Map.of(), 4, "x", "test"));
        VisionModel loaded = VisionModel.load(file);
        InputSpec in = loaded.input();
        assertEquals(List.of("cat", "dog", "owl"), in.classes());
        assertArrayEquals(new double[]{0.41, 0.52, 0.63}, in.means(), 0);
        assertArrayEquals(new double[]{0.21, 0.22, 0.23}, in.stds(), 0);
        assertEquals(3, in.channels());
        assertEquals(24, in.size());
        assertEquals(0.25, in.validPct());
        assertEquals(InputSpec.FOLDER, in.data());
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 3, 24, 24);
        assertEquals(m.probabilities(x), loaded.probabilities(x));
        float[] raw = Nd4j.rand(DataType.FLOAT, 3 * 24 * 24).data().asFloat();
        assertArrayEquals(m.probabilities(raw), loaded.probabilities(raw), 0f);
    }

    /**
     * A model.zip written by the code before image folders (committed: simple-cnn, scratch, 4
     * epochs on the MNIST sample; its vision.json has no channels, size, classes or per-channel
     * statistics) loads as an MNIST model and gives the probabilities that code printed for the
     * sample's first test digits ({@code vision predict}, 4 decimals).
     */
    @Test
    void aModelSavedBeforeImageFoldersStillLoadsAndPredictsDigits() throws Exception {
        Path zip = tmp.resolve("old.zip");
        try (InputStream in = getClass().getResourceAsStream("/io/github/fastdl4j/vision/legacy/simple-cnn-sample-0.1.zip")) {
            Files.copy(in, zip);
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            String json = new String(z.getInputStream(z.getEntry("vision.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(!json.contains("classes") && !json.contains("channels"), json);
        }
        VisionModel m = VisionModel.load(zip);
        InputSpec in = m.input();
        assertTrue(in.isMnist());
        assertEquals(InputSpec.digits(), in.classes());
        assertEquals(1, in.channels());
        assertEquals(28, in.size());
        assertNull(in.validSize());
        Mnist sample = Mnist.sample();
        double[][] printed = {{7, 0.9937}, {2, 0.9327}, {1, 0.9900}};
        for (int i = 0; i < printed.length; i++) {
            float[] p = m.probabilities(sample.rawTestImage(i));
            int best = argMax(p);
            assertEquals((int) printed[i][0], best, "test digit " + i);
            assertEquals(printed[i][1], p[best], 5e-5, "test digit " + i);
        }
    }

    /** A DL4J graph's zip with the old spec (no new fields) loads as MNIST too. */
    @Test
    void anOldSpecOfADl4jGraphLoads() throws Exception {
        Mnist sample = Mnist.sample();
        VisionModel m = VisionModel.create(Arch.STRIDE2, Build.STOCK, ArchOptions.defaults(1), sample.mean(), sample.std());
        Path file = tmp.resolve("new.zip");
        m.save(file, Provenance.of("vision", "stride2", Map.of(), 1, "x", "test"));
        Path old = rewriteSpec(file, "old.zip", spec -> spec.retain("arch", "options", "mean", "std", "build"));
        VisionModel loaded = VisionModel.load(old);
        assertTrue(loaded.input().isMnist());
        assertArrayEquals(m.probabilities(sample.rawTestImage(3)), loaded.probabilities(sample.rawTestImage(3)), 0f);
    }

    /** Each crafted field is one BadInputException line naming the file and the entry. */
    @Test
    void badInputFieldsAreOneLineNamingTheEntry() throws Exception {
        VisionModel m = VisionModel.create(Arch.SIMPLE_CNN, Build.SCRATCH, ArchOptions.defaults(4), colour());
        Path file = tmp.resolve("good.zip");
        m.save(file, Provenance.of("vision", "simple-cnn", Map.of(), 4, "x", "test"));
        Map<String, Consumer<ObjectNode>> edits = new LinkedHashMap<>();
        edits.put("channels 2", s -> s.put("channels", 2));
        edits.put("size 100000", s -> s.put("size", 100_000));
        edits.put("size 0", s -> s.put("size", 0));
        edits.put("no classes", s -> s.putArray("classes"));
        edits.put("a class twice", s -> s.putArray("classes").add("cat").add("cat").add("owl"));
        edits.put("two means for three channels", s -> s.putArray("means").add(0.1).add(0.2));
        edits.put("zero std", s -> s.putArray("stds").add(0.2).add(0).add(0.3));
        edits.put("unknown data", s -> s.put("data", "webcam"));
        edits.put("valid share 2", s -> s.put("validPct", 2.0));
        edits.put("three channels without means", s -> s.remove("means"));
        edits.put("an MNIST model of colour images", s -> s.put("data", "mnist"));
        for (var e : edits.entrySet()) {
            Path bad = rewriteSpec(file, "bad.zip", e.getValue());
            BadInputException ex = assertThrows(BadInputException.class, () -> VisionModel.load(bad), e.getKey());
            assertTrue(ex.getMessage().startsWith(bad + ": entry vision.json: "), e.getKey() + ": " + ex.getMessage());
            assertEquals(1, ex.getMessage().lines().count());
        }
        // more classes in the spec than the network's last layer has: the weights do not fit
        Path more = rewriteSpec(file, "more.zip", s -> s.putArray("classes").add("a").add("b").add("c").add("d"));
        BadInputException ex = assertThrows(BadInputException.class, () -> VisionModel.load(more));
        assertTrue(ex.getMessage().startsWith(more.toString()), ex.getMessage());
    }

    /** A copy of {@code zip} whose vision.json is edited. */
    private Path rewriteSpec(Path zip, String name, Consumer<ObjectNode> edit) throws Exception {
        Path out = tmp.resolve(name);
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("vision.json")) {
                    ObjectNode spec = (ObjectNode) ModelArchive.JSON.readTree(b);
                    edit.accept(spec);
                    b = ModelArchive.JSON.writeValueAsBytes(spec);
                }
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(b);
                z.closeEntry();
            }
        }
        return out;
    }

    private static int argMax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return best;
    }
}

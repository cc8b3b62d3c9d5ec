package io.github.fastdl4j.common.train;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.dl4j.NetworkModel;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.common.module.Parameter;
import io.github.fastdl4j.common.testing.LinearModule;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a model zip never runs code from it, never unpacks beyond its limits, and refuses what it does not know. */
class ModelArchiveTest {

    @TempDir
    Path tmp;

    /** A payload a crafted model.zip would carry: deserializing it runs its readObject. */
    static final class Payload implements Serializable {
        static volatile boolean ran;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            ran = true;
        }
    }

    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    private static MultiLayerNetwork trained() {
        MultiLayerNetwork net = net();
        net.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 32, 2), Nd4j.rand(DataType.FLOAT, 32, 1)));
        return net;
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path f = tmp.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return f;
    }

    private static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    @Test
    void aSerializedObjectInADl4jNetworkIsRefusedNeverRun() throws IOException {
        // fastdl4j 0.1's layout: the network as DL4J's ModelSerializer zip, entry network.zip; the
        // attacker adds preprocessor.bin, which ModelSerializer.restore* would deserialize
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        ModelSerializer.writeModel(trained(), inner, true);
        ByteArrayOutputStream crafted = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(crafted);
             ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(inner.toByteArray()))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(in.readAllBytes());
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("preprocessor.bin"));
            z.write(serialized(new Payload()));
            z.closeEntry();
        }
        Path f = zip("crafted.zip", Map.of("network.zip", crafted.toByteArray(), "provenance.json", "{}".getBytes()));
        Payload.ran = false;
        BadInputException e = assertThrows(BadInputException.class,
                () -> ModelArchive.open(f).loadInto(new NetworkModel(net()), Set.of("provenance")));
        assertTrue(e.getMessage().contains("preprocessor.bin") && e.getMessage().contains("Java deserialization"), e.getMessage());
        assertFalse(Payload.ran, "the payload's readObject must never run");
    }

    @Test
    void anEntryTheModelDoesNotKnowIsRefused() throws IOException {
        ModuleModel m = new ModuleModel(new LinearModule(2, 4, DataType.FLOAT, 1), Losses.mse());
        Path f = tmp.resolve("m.zip");
        ModelArchive.write(f, m, Map.of("config", Map.of("a", 1)));
        Path planted = tmp.resolve("planted.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(planted));
             ZipFile src = new ZipFile(f.toFile())) {
            for (ZipEntry e : Collections.list(src.entries())) {
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(src.getInputStream(e).readAllBytes());
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("objects/payload"));
            z.write(serialized(new Payload()));
            z.closeEntry();
        }
        Payload.ran = false;
        BadInputException e = assertThrows(BadInputException.class, () -> ModelArchive.open(planted)
                .loadInto(new ModuleModel(new LinearModule(2, 4, DataType.FLOAT, 1), Losses.mse()), Set.of("config")));
        assertTrue(e.getMessage().contains("unexpected entry 'objects/payload'"), e.getMessage());
        assertFalse(Payload.ran);
        // the untouched file loads
        ModelArchive.open(f).loadInto(new ModuleModel(new LinearModule(2, 4, DataType.FLOAT, 7), Losses.mse()), Set.of("config"));
    }

    @Test
    void aZipBombIsRefusedInOneLineWithoutUnpacking() throws IOException {
        Path f = tmp.resolve("bomb.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("parameters/w1.npy"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) { // 256 MiB of zeros: a few hundred KB packed
                z.write(zeros);
            }
            z.closeEntry();
        }
        assertTrue(Files.size(f) < 2 << 20, "the bomb is small: " + Files.size(f));
        long t0 = System.nanoTime();
        BadInputException e = assertThrows(BadInputException.class, () -> ModelArchive.open(f));
        assertTrue(e.getMessage().contains("zip bomb") && e.getMessage().contains("parameters/w1.npy"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refused before unpacking");
    }

    @Test
    void namesThatCouldEscapeAFolderAreRefused() throws IOException {
        for (String name : new String[]{"../evil.json", "/etc/cron.d/evil", "a/../../b.json", "a\\b.json", "c:/x.json"}) {
            Path f = zip("slip.zip", Map.of(name, "{}".getBytes()));
            BadInputException e = assertThrows(BadInputException.class, () -> ModelArchive.open(f), name);
            assertTrue(e.getMessage().contains("not a plain relative name"), e.getMessage());
            Files.delete(f);
        }
    }

    @Test
    void notAZipOrTruncatedIsOneLine() throws IOException {
        Path text = tmp.resolve("text.zip");
        Files.writeString(text, "userId,movieId\n1,2\n");
        assertTrue(assertThrows(BadInputException.class, () -> ModelArchive.open(text)).getMessage().contains("not a readable model zip"));
        ModuleModel m = new ModuleModel(new LinearModule(2, 4, DataType.FLOAT, 1), Losses.mse());
        Path f = tmp.resolve("m.zip");
        ModelArchive.write(f, m, Map.of());
        byte[] b = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.zip");
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        BadInputException e = assertThrows(BadInputException.class, () -> ModelArchive.open(cut));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> ModelArchive.open(tmp.resolve("nope.zip")))
                .getMessage().contains("not found"));
    }

    @Test
    void parametersOfTheWrongShapeAreRefused() throws IOException {
        Path f = tmp.resolve("m.zip");
        ModelArchive.write(f, new ModuleModel(new LinearModule(2, 4, DataType.FLOAT, 1), Losses.mse()), Map.of());
        BadInputException e = assertThrows(BadInputException.class, () -> ModelArchive.open(f)
                .loadInto(new ModuleModel(new LinearModule(2, 5, DataType.FLOAT, 1), Losses.mse()), Set.of()));
        assertTrue(e.getMessage().contains("parameters/w1.npy") && e.getMessage().contains("expected [2, 5]"), e.getMessage());
    }

    @Test
    void zipsOfTheEarlierFormatLoadThroughTheStrictReaders() throws IOException {
        // a module's parameters as ND4J binary (Nd4j.write), as fastdl4j 0.1 wrote them
        LinearModule old = new LinearModule(2, 4, DataType.FLOAT, 5);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (Parameter p : old.parameters()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            Nd4j.write(p.value(), new DataOutputStream(b));
            entries.put("parameters/" + p.name() + ".bin", b.toByteArray());
        }
        ModuleModel m = ModelArchive.open(zip("old-module.zip", entries))
                .loadInto(new ModuleModel(new LinearModule(2, 4, DataType.FLOAT, 99), Losses.mse()), Set.of());
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 2);
        assertEquals(old.forward(new INDArray[]{x}, false), m.predict(new INDArray[]{x}));

        // a DL4J network as DL4J's ModelSerializer zip inside entry network.zip
        MultiLayerNetwork net = trained();
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, inner, true);
        NetworkModel restored = ModelArchive.open(zip("old-net.zip", Map.of("network.zip", inner.toByteArray())))
                .loadInto(new NetworkModel(net()), Set.of());
        assertEquals(net.output(x), restored.predict(new INDArray[]{x}));
        assertEquals(net.getUpdater().getStateViewArray(), ((MultiLayerNetwork) restored.network()).getUpdater().getStateViewArray());
    }

    @Test
    void aDl4jNetworkRoundTripsExactlyWithItsUpdaterState() throws IOException {
        MultiLayerNetwork net = trained();
        Path f = tmp.resolve("net.zip");
        ModelArchive.write(f, new NetworkModel(net), Map.of("provenance", Map.of("job", "test")));
        ModelArchive a = ModelArchive.open(f);
        assertTrue(a.entryNames().containsAll(Set.of("network/params.npy", "network/updater.npy", "network/configuration.json")));
        NetworkModel back = a.loadInto(new NetworkModel(net()), Set.of("provenance"));
        MultiLayerNetwork b = (MultiLayerNetwork) back.network();
        assertEquals(net.params(), b.params());
        assertEquals(net.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray());
        // DL4J users can rebuild the network from the configuration written beside the weights
        String conf = new String(a.bytes("network/configuration.json"));
        assertEquals(net.getLayerWiseConfigurations(), MultiLayerConfiguration.fromJson(conf));
    }

    @Test
    void aModelOfAnotherJobSaysWhatItIs() throws IOException {
        Path f = tmp.resolve("m.zip");
        ModelArchive.write(f, new ModuleModel(new LinearModule(2, 4, DataType.FLOAT, 1), Losses.mse()),
                Map.of("vision", Map.of(), "provenance", Map.of("job", "vision", "model", "simple-cnn")));
        BadInputException e = assertThrows(BadInputException.class, () -> ModelArchive.open(f).requireJob("collab", "collab"));
        assertTrue(e.getMessage().contains("this is a vision model (simple-cnn), not a collab model"), e.getMessage());
    }

    @Test
    void writesAreAtomicAndNameTheFileOnFailure() throws IOException {
        Path f = tmp.resolve("sub/m.zip");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100]);
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(f.toAbsolutePath().toString()) && e.getMessage().contains("No space left"),
                e.getMessage());
        try (var files = Files.list(f.getParent())) {
            assertEquals(0, files.count(), "no half-written file, no .part left");
        }
    }

    @Test
    void writtenFilesFollowTheUmaskLikeAnyNewFile() throws IOException {
        Path plain = Files.createFile(tmp.resolve("plain"));
        Path written = tmp.resolve("written");
        AtomicFiles.writeString(written, "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }

    /**
     * A JSON entry goes into the zip as it is written: 6M numbers (24 MB as ints, 42 MB as JSON)
     * saved in a JVM of 64 MB heap. As one byte array (and the builder's copies) it ran out of memory.
     */
    @Test
    void aLargeJsonEntryIsWrittenWithoutABufferOfItsSize() throws Exception {
        Path zip = tmp.resolve("big-json.zip");
        String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(jvm, "-Xmx64m", "-cp", System.getProperty("java.class.path"), WriteBigJson.class.getName(),
                zip.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        int[][] back = ModelArchive.open(zip).json("seen", int[][].class);
        assertEquals(6_000_000, back[0].length);
        assertEquals(123_456, back[0][5_999_999]);
    }

    /** Writes one JSON entry of 6M numbers (run in a forked JVM with a small heap). */
    public static final class WriteBigJson {
        public static void main(String[] args) throws IOException {
            int[][] seen = new int[1][6_000_000];
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < seen[0].length; i++) {
                seen[0][i] = i == seen[0].length - 1 ? 123_456 : rnd.nextInt(100_000, 1_000_000); // varied, as a zip bomb is not
            }
            try (OutputStream os = Files.newOutputStream(Path.of(args[0]))) {
                ModelArchive.Writer w = new ModelArchive.Writer(os);
                w.json("seen", seen);
                w.finish();
            }
        }
    }
}

package io.github.fastdl4j.common.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.Parameter;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A saved model: one zip with the network ({@value NetworkModel#NETWORK_ENTRY}, DL4J's
 * ModelSerializer format) or a module's named parameters ({@code parameters/<name>.bin}, ND4J's
 * binary format), plus JSON entries ({@code <key>.json}) with what a job needs to predict from raw
 * inputs: vocabularies, normalisation statistics, config, provenance.
 */
public final class ModelArchive {

    /** Shared JSON settings for archive entries and run reports. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final Map<String, byte[]> entries;

    private ModelArchive(Path file, Map<String, byte[]> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Writes a model zip atomically. */
    public static void write(Path file, Trainable model, Map<String, ?> metadata) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            model.writeTo(zip);
            for (Map.Entry<String, ?> e : metadata.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".json"));
                zip.write(JSON.writeValueAsBytes(e.getValue()));
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** Reads a model zip. */
    public static ModelArchive open(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                entries.put(e.getName(), zin.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            throw DataException.inFile(file, "model file not found");
        } catch (IOException e) {
            throw DataException.inFile(file, "not a readable model zip: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw DataException.inFile(file, "not a fastdl4j model zip (no entries)");
        }
        return new ModelArchive(file, entries);
    }

    public Set<String> entryNames() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return entries.containsKey(key + ".json");
    }

    /** A JSON entry as a tree. */
    public JsonNode json(String key) {
        return json(key, JsonNode.class);
    }

    /** A JSON entry bound to a type. */
    public <T> T json(String key, Class<T> type) {
        byte[] b = entries.get(key + ".json");
        if (b == null) {
            throw DataException.inFile(file, "model zip lacks entry " + key + ".json");
        }
        try {
            return JSON.readValue(b, type);
        } catch (IOException e) {
            throw DataException.inFile(file, "entry " + key + ".json is not valid: " + e.getMessage());
        }
    }

    /** The DL4J multi-layer network in the zip. */
    public MultiLayerNetwork multiLayerNetwork() {
        try (InputStream in = network()) {
            return ModelSerializer.restoreMultiLayerNetwork(in, true);
        } catch (IOException e) {
            throw DataException.inFile(file, "cannot restore the network: " + e.getMessage());
        }
    }

    /** The DL4J computation graph in the zip. */
    public ComputationGraph computationGraph() {
        try (InputStream in = network()) {
            return ModelSerializer.restoreComputationGraph(in, true);
        } catch (IOException e) {
            throw DataException.inFile(file, "cannot restore the network: " + e.getMessage());
        }
    }

    private InputStream network() {
        byte[] b = entries.get(NetworkModel.NETWORK_ENTRY);
        if (b == null) {
            throw DataException.inFile(file, "model zip holds no DL4J network");
        }
        return new ByteArrayInputStream(b);
    }

    /** Fills a freshly built module's parameters from the zip, checking names and shapes. */
    public <M extends Module> M loadParameters(M module) {
        for (Parameter p : module.parameters()) {
            byte[] b = entries.get(ModuleModel.PARAMETERS_DIR + p.name() + ".bin");
            if (b == null) {
                throw DataException.inFile(file, "model zip lacks parameter " + p.name());
            }
            INDArray v;
            try {
                v = Nd4j.read(new DataInputStream(new ByteArrayInputStream(b)));
            } catch (RuntimeException e) {
                throw DataException.inFile(file, "parameter " + p.name() + " is unreadable: " + e.getMessage());
            }
            if (!Arrays.equals(v.shape(), p.shape())) {
                throw DataException.inFile(file, "parameter " + p.name() + " has shape " + Arrays.toString(v.shape())
                        + ", the model expects " + Arrays.toString(p.shape()));
            }
            p.value().assign(v);
        }
        return module;
    }
}

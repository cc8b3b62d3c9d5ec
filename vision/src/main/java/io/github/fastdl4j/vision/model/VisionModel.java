package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.NetworkModel;
import io.github.fastdl4j.common.train.Provenance;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained digit classifier with what it needs to classify raw pixels: the network and the
 * training set's normalisation.
 *
 * @param net     the DL4J graph (input [n, 1, 28, 28], softmax output)
 * @param spec    architecture and options
 */
public record VisionModel(ComputationGraph net, Spec spec) {

    /**
     * What is saved beside the network.
     *
     * @param arch    architecture name
     * @param options its options
     * @param mean    pixel mean used for normalisation (pixels in [0, 1])
     * @param std     pixel standard deviation
     */
    public record Spec(String arch, ArchOptions options, double mean, double std) {
    }

    /** Class probabilities for raw pixels (0..255, 784 per image, row-major). */
    public float[] probabilities(int[] pixels) {
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((pixels[i] / 255.0 - spec.mean()) / spec.std());
        }
        INDArray out = net.output(false, Nd4j.create(x, new long[]{1, 1, 28, 28}, 'c'))[0];
        return out.toFloatVector();
    }

    public void save(Path file, Provenance provenance) throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("vision", spec);
        entries.put("provenance", provenance);
        ModelArchive.write(file, new NetworkModel(net), entries);
    }

    public static VisionModel load(Path file) {
        ModelArchive a = ModelArchive.open(file);
        if (!a.has("vision")) {
            throw DataException.inFile(file, "not a vision model (no vision.json entry)");
        }
        return new VisionModel(a.computationGraph(), a.json("vision", Spec.class));
    }
}

package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.nn.OneDnnHelpers;
import io.github.fastdl4j.common.train.Loss;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.ModuleModel;
import io.github.fastdl4j.common.train.NetworkModel;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.train.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A digit classifier with what it needs to classify raw pixels: the network (a DL4J graph or
 * the from-scratch {@link SimpleCnn}) and the training set's normalisation.
 *
 * @param model the trainable network (input [n, 1, 28, 28])
 * @param spec  architecture, build and options
 */
public record VisionModel(Trainable model, Spec spec) {

    /**
     * What is saved beside the network.
     *
     * @param arch    architecture name
     * @param options its options
     * @param mean    pixel mean used for normalisation (pixels in [0, 1])
     * @param std     pixel standard deviation
     * @param build   build name ({@link Build}); absent in models saved before builds existed,
     *                which are DL4J graphs
     */
    public record Spec(String arch, ArchOptions options, double mean, double std, String build) {

        public Build buildKind() {
            return build == null ? Build.ONEDNN : Build.of(build);
        }
    }

    /**
     * A freshly initialised network. DL4J builds switch the oneDNN helpers on or off (a global
     * setting) before building.
     */
    public static VisionModel create(Arch arch, Build build, ArchOptions options, double mean, double std) {
        if (!build.supports(arch)) {
            throw new IllegalArgumentException("the " + build + " build exists for simple-cnn and wide-cnn only, not " + arch);
        }
        Spec spec = new Spec(arch.cliName(), options, mean, std, build.cliName());
        if (build == Build.SCRATCH) {
            return new VisionModel(new ModuleModel(new SimpleCnn(options, arch.convLayerChannels()), Losses.crossEntropyOnLogits()), spec);
        }
        OneDnnHelpers.enable(build == Build.ONEDNN);
        return new VisionModel(new NetworkModel(Architectures.build(arch, options)), spec);
    }

    /** The loss to train and report: the graphs end in softmax, the scratch net in logits. */
    public Loss loss() {
        return model instanceof ModuleModel ? Losses.crossEntropyOnLogits() : Losses.crossEntropyOnProbabilities();
    }

    /** Class probabilities for a batch of normalised images [n, 1, 28, 28]. */
    public INDArray probabilities(INDArray images) {
        INDArray out = model.predict(new INDArray[]{images});
        return model instanceof ModuleModel ? Transforms.softmax(out, true) : out;
    }

    /** Class probabilities for raw pixels (0..255, 784 per image, row-major). */
    public float[] probabilities(int[] pixels) {
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((pixels[i] / 255.0 - spec.mean()) / spec.std());
        }
        return probabilities(Nd4j.create(x, new long[]{1, 1, 28, 28}, 'c')).toFloatVector();
    }

    public void save(Path file, Provenance provenance) throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("vision", spec);
        entries.put("provenance", provenance);
        ModelArchive.write(file, model, entries);
    }

    public static VisionModel load(Path file) {
        ModelArchive a = ModelArchive.open(file);
        if (!a.has("vision")) {
            throw DataException.inFile(file, "not a vision model (no vision.json entry)");
        }
        Spec spec = a.json("vision", Spec.class);
        Trainable model = spec.buildKind() == Build.SCRATCH
                ? new ModuleModel(a.loadParameters(new SimpleCnn(spec.options(), Arch.of(spec.arch()).convLayerChannels())),
                        Losses.crossEntropyOnLogits())
                : new NetworkModel(a.computationGraph());
        return new VisionModel(model, spec);
    }
}

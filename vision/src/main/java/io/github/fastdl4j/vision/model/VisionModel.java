package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.train.Loss;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.train.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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

    /** A freshly initialised network of {@code arch} in {@code build}. */
    public static VisionModel create(Arch arch, Build build, ArchOptions options, double mean, double std) {
        Spec spec = new Spec(arch.cliName(), options, mean, std, build.cliName());
        return new VisionModel(build.create(arch, options), spec);
    }

    /** The loss to train and report: the graphs end in softmax, the scratch net in logits. */
    public Loss loss() {
        return spec.buildKind().loss();
    }

    /** Class probabilities for a batch of normalised images [n, 1, 28, 28]. */
    public INDArray probabilities(INDArray images) {
        INDArray out = model.predict(new INDArray[]{images});
        return spec.buildKind().outputsLogits() ? Transforms.softmax(out, true) : out;
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

    /** Loads a model saved by {@link #save}: rebuilt from its spec, then its weights are read. */
    public static VisionModel load(Path file) {
        ModelArchive a = ModelArchive.open(file);
        a.requireJob("vision", "vision");
        Spec spec = a.json("vision", Spec.class);
        Build build;
        Arch arch;
        try {
            build = spec.buildKind();
            arch = Arch.of(spec.arch());
            if (spec.options() == null || !(spec.std() > 0) || !Double.isFinite(spec.mean())) {
                throw new IllegalArgumentException("missing options or bad normalisation " + spec);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw DataException.inFile(file, "entry vision.json: " + e.getMessage());
        }
        Trainable model;
        try {
            model = build.create(arch, spec.options());
        } catch (IllegalArgumentException e) {
            throw DataException.inFile(file, "entry vision.json: " + e.getMessage());
        }
        return new VisionModel(a.loadInto(model, Set.of("vision", "provenance")), spec);
    }
}

package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.module.Loss;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An image classifier with what it needs to classify raw pixels: the network (a DL4J graph or
 * the from-scratch {@link io.github.fastdl4j.vision.model.fast.FastNet}), the image shape and class names it was built for, and the
 * training set's normalisation.
 *
 * @param model the trainable network (input [n, channels, size, size]; MNIST: [n, 1, 28, 28])
 * @param spec  architecture, build, options and input
 */
public record VisionModel(Trainable model, Spec spec) {

    /**
     * What is saved beside the network (as {@code vision.json}). Models saved before image
     * folders existed have only the first five fields: they are MNIST models (1 channel, 28x28,
     * classes "0".."9", normalised with {@code mean} and {@code std}).
     *
     * @param arch      architecture name
     * @param options   its options
     * @param mean      pixel mean used for normalisation (pixels in [0, 1]); over all channels
     *                  together for colour images, whose normalisation is {@code means}
     * @param std       pixel standard deviation, likewise
     * @param build     build name ({@link Build}); absent in models saved before builds existed,
     *                  which are DL4J graphs
     * @param channels  image channels (absent: 1)
     * @param size      image side (absent: 28)
     * @param classes   class names in output order (absent: "0".."9")
     * @param means     per-channel means (absent: {@code mean})
     * @param stds      per-channel standard deviations (absent: {@code std})
     * @param data      {@code mnist} or {@code folder} (absent: mnist)
     * @param validPct  see {@link InputSpec#validPct()}
     * @param validSize see {@link InputSpec#validSize()}
     */
    public record Spec(String arch, ArchOptions options, double mean, double std, String build, Integer channels,
                       Integer size, List<String> classes, double[] means, double[] stds, String data, Double validPct,
                       Integer validSize) {

        /** The spec of a new model. */
        static Spec of(Arch arch, ArchOptions options, Build build, InputSpec in) {
            double m = 0;
            double sq = 0;
            for (int c = 0; c < in.channels(); c++) {
                m += in.means()[c] / in.channels();
                sq += (in.stds()[c] * in.stds()[c] + in.means()[c] * in.means()[c]) / in.channels();
            }
            double std = in.channels() == 1 ? in.stds()[0] : Math.sqrt(Math.max(0, sq - m * m));
            return new Spec(arch.cliName(), options, in.channels() == 1 ? in.means()[0] : m, std, build.cliName(), in.channels(),
                    in.size(), in.classes(), in.means(), in.stds(), in.data(), in.validPct(), in.validSize());
        }

        public Build buildKind() {
            return build == null ? Build.ONEDNN : Build.of(build);
        }

        /**
         * The input the network was built for, defaults filled in for models saved before image
         * folders existed; every field is checked ({@link InputSpec}: an IllegalArgumentException
         * names the bad one).
         */
        public InputSpec input() {
            int ch = channels == null ? 1 : channels;
            return new InputSpec(ch, size == null ? 28 : size, classes == null ? InputSpec.digits() : classes,
                    means == null && ch == 1 ? new double[]{mean} : means, stds == null && ch == 1 ? new double[]{std} : stds,
                    data == null ? InputSpec.MNIST : data, validPct, validSize);
        }
    }

    /** A freshly initialised MNIST network of {@code arch} in {@code build}, normalising with {@code mean} and {@code std}. */
    public static VisionModel create(Arch arch, Build build, ArchOptions options, double mean, double std) {
        return create(arch, build, options, InputSpec.mnist(mean, std));
    }

    /** A freshly initialised network of {@code arch} in {@code build} for the images and classes of {@code input}. */
    public static VisionModel create(Arch arch, Build build, ArchOptions options, InputSpec input) {
        return new VisionModel(build.create(arch, options, input), Spec.of(arch, options, build, input));
    }

    /** The input the network takes (shape, classes, normalisation). */
    public InputSpec input() {
        return spec.input();
    }

    /** The loss to train and report: on the graphs' softmax, or on the scratch net's logits. */
    public Loss loss() {
        return Losses.crossEntropy(model);
    }

    /** Class probabilities for a batch of normalised images [n, channels, size, size]. */
    public INDArray probabilities(INDArray images) {
        INDArray out = model.predict(new INDArray[]{images});
        return Losses.probabilities(model, out);
    }

    /** Class probabilities for a grey model and raw pixels (0..255, size x size per image, row-major; MNIST: 784). */
    public float[] probabilities(int[] pixels) {
        InputSpec in = input();
        if (in.channels() != 1 || pixels.length != in.pixels()) {
            throw new IllegalArgumentException("the model takes " + in.channels() + "x" + in.size() + "x" + in.size()
                    + " values per image, got " + pixels.length + " grey levels");
        }
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((pixels[i] / 255.0 - in.means()[0]) / in.stds()[0]);
        }
        return probabilities(Nd4j.create(x, new long[]{1, 1, in.size(), in.size()}, 'c')).toFloatVector();
    }

    /**
     * Class probabilities for one image of pixels in [0, 1], laid out [channel][y][x]
     * (channels x size x size values), normalised here as the training images were.
     */
    public float[] probabilities(float[] pixels) {
        InputSpec in = input();
        if (pixels.length != in.pixels()) {
            throw new IllegalArgumentException("the model takes " + in.channels() + "x" + in.size() + "x" + in.size()
                    + " values per image, got " + pixels.length);
        }
        float[] x = in.normalise(pixels.clone());
        return probabilities(Nd4j.create(x, new long[]{1, in.channels(), in.size(), in.size()}, 'c')).toFloatVector();
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
        InputSpec input;
        try {
            build = spec.buildKind();
            arch = Arch.of(spec.arch());
            if (spec.options() == null || !(spec.std() > 0) || !Double.isFinite(spec.mean())) {
                throw new IllegalArgumentException("missing options or bad normalisation " + spec);
            }
            input = spec.input();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw BadInputException.inFile(file, "entry vision.json: " + e.getMessage());
        }
        Trainable model;
        try {
            model = build.create(arch, spec.options(), input);
        } catch (IllegalArgumentException e) {
            throw BadInputException.inFile(file, "entry vision.json: " + e.getMessage());
        }
        return new VisionModel(a.loadInto(model, Set.of("vision", "provenance")), spec);
    }
}

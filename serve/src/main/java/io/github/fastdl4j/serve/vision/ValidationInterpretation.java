package io.github.fastdl4j.serve.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.DatasetSpec;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.interpret.ClassificationInterpretation;
import io.github.fastdl4j.vision.interpret.ConfusionMatrix;
import io.github.fastdl4j.vision.interpret.ImageGrid;
import io.github.fastdl4j.vision.interpret.ValidationImages;
import io.github.fastdl4j.vision.model.InputSpec;
import io.github.fastdl4j.vision.model.VisionModel;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * fastai's {@code ClassificationInterpretation} of a served vision model, as {@code vision interpret}
 * computes it, on the validation images its training run recorded: the run's config names the data
 * ({@code --data sample}, MNIST from {@code --data-dir} or {@code $FASTDL4J_DATA} or the cache, or
 * the {@code --images} folder), and the model's own input spec says which split. Nothing is
 * downloaded and no request names a path: what is used is what the run recorded.
 *
 * @param classes      the model's classes
 * @param counts       the confusion matrix, actual x predicted
 * @param images       validation images used
 * @param accuracy     their accuracy
 * @param loss         their mean cross-entropy
 * @param source       where they came from, in words
 * @param warning      files skipped while reading a folder, or null
 * @param mostConfused pairs confused at least once, most first
 * @param top          the largest losses, largest first, at most {@link #MAX_TOP}
 */
public record ValidationInterpretation(List<String> classes, long[][] counts, int images, double accuracy, double loss, String source,
                                       String warning, List<ConfusionMatrix.Confused> mostConfused, List<TopLoss> top) {

    /** Top losses kept (each with its picture). */
    public static final int MAX_TOP = 64;

    /**
     * One of the largest losses.
     *
     * @param image       what the image is called ("training image 123", a path under the image folder)
     * @param actual      its class
     * @param predicted   the model's class
     * @param loss        cross-entropy of the actual class
     * @param probability the predicted class's probability
     * @param png         the image as the model saw it (denormalised), as PNG
     */
    public record TopLoss(String image, String actual, String predicted, double loss, double probability, byte[] png) {
    }

    /** Why the validation data cannot be had (the answer is a 422 saying this). */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /**
     * Reads the validation images the run recorded and runs the model (a copy loaded from its file)
     * over them.
     *
     * @param modelZip the served model's file
     * @param config   the run's config (from the model's provenance or metrics.json)
     */
    public static ValidationInterpretation compute(Path modelZip, JsonNode config) {
        VisionModel model = VisionModel.load(modelZip);
        InputSpec in = model.input();
        ValidationImages v = images(in, config == null ? MissingNode.getInstance() : config);
        ClassificationInterpretation interp = ClassificationInterpretation.of(model, v.pixels(), v.labels());
        ConfusionMatrix cm = interp.confusionMatrix();
        List<TopLoss> top = new ArrayList<>();
        int per = in.pixels();
        for (ClassificationInterpretation.TopLoss t : interp.topLosses(MAX_TOP)) {
            float[] img = in.denormalise(Arrays.copyOfRange(v.pixels(), t.index() * per, (t.index() + 1) * per));
            top.add(new TopLoss(v.names().get(t.index()), in.classes().get(t.actual()), in.classes().get(t.predicted()), t.loss(),
                    t.p(), png(new ImageGrid.Tile("", img, in.channels(), in.size(), false))));
        }
        return new ValidationInterpretation(in.classes(), cm.counts(), interp.size(), interp.accuracy(), interp.meanLoss(),
                v.source(), v.warning(), cm.mostConfused(1), List.copyOf(top));
    }

    private static ValidationImages images(InputSpec in, JsonNode config) {
        try {
            if (!in.isMnist()) {
                String folder = config.path("images").asText("");
                if (folder.isEmpty()) {
                    throw new Unavailable("the run did not record its image folder (--images) in its config");
                }
                Path root = Path.of(folder);
                if (!Files.isDirectory(root)) {
                    throw new Unavailable("the run's image folder " + folder + " is not there any more");
                }
                return ValidationImages.folder(root, in, config.path("strict").asBoolean(false));
            }
            Mnist mnist;
            if ("sample".equals(config.path("data").asText("mnist"))) {
                mnist = Mnist.sample();
            } else {
                String dataDir = config.path("data_dir").asText("");
                mnist = Mnist.load(localMnist(dataDir.isEmpty() ? null : Path.of(dataDir)));
            }
            return ValidationImages.mnist(mnist, in);
        } catch (BadInputException e) {
            throw new Unavailable(BadInputException.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** MNIST where the run's --data-dir, $FASTDL4J_DATA or the cache hold it; never a download from a request. */
    private static Path localMnist(Path dataDir) {
        DatasetSpec spec = Datasets.registered().get("mnist");
        DatasetSpec local = new DatasetSpec(spec.name(), spec.files(), spec.sha256(), new DatasetSpec.Manual(
                "the server does not download it: put MNIST's files in a folder 'mnist' under $" + Datasets.DATA_ENV), spec.homepage());
        Optional<Path> dir = Optional.ofNullable(dataDir)
                .or(() -> Optional.ofNullable(System.getenv(Datasets.DATA_ENV)).filter(s -> !s.isBlank()).map(Path::of));
        return new Datasets(Map.of("mnist", local), Datasets.defaultCache(), dir).get("mnist");
    }

    private static byte[] png(ImageGrid.Tile t) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(ImageGrid.toImage(t), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

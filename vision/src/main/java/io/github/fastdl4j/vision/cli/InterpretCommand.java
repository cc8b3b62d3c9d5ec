package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.Outputs;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.interpret.ClassificationInterpretation;
import io.github.fastdl4j.vision.interpret.ConfusionMatrix;
import io.github.fastdl4j.vision.interpret.ValidationImages;
import io.github.fastdl4j.vision.model.InputSpec;
import io.github.fastdl4j.vision.model.VisionModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code vision interpret}: fastai's {@code ClassificationInterpretation} on the validation images
 * the model was chosen on (a folder's {@code valid/} or its random share, MNIST's validation split
 * of the training images; never the test images).
 */
@Command(name = "interpret", mixinStandardHelpOptions = true,
        description = "fastai's ClassificationInterpretation on the validation images: confusion_matrix.csv and .png, the most "
                + "confused pairs (printed), top_losses.png (the images with the largest losses), interpret.json; into --out "
                + "(default: interpret/ beside the model), written as a unit.")
final class InterpretCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Option(names = "--model-file", required = true, description = "A model.zip from train.")
    Path modelFile;
    @Option(names = "--images", paramLabel = "DIR",
            description = "The image folder of a model trained with --images (its valid/ folder, or the same random share).")
    Path images;
    @Option(names = "--data", converter = VisionMain.DataConverter.class,
            description = "For an MNIST model: mnist or sample (default: mnist).")
    String data;
    @Option(names = "--strict", description = "With --images: an unreadable or empty image file is an error (default: skipped).")
    boolean strict;
    @Option(names = "--top", converter = Checks.PositiveInt.class,
            description = "Images in top_losses.png (default: ${DEFAULT-VALUE}, fastai's plot_top_losses(9)).")
    int top = 9;
    @Option(names = "--min-val", converter = Checks.PositiveInt.class,
            description = "List pairs confused at least this often (default: ${DEFAULT-VALUE}, fastai's most_confused(min_val)).")
    int minVal = 1;

    /** What interpret writes into its folder. */
    static final Set<String> WRITES = Set.of("confusion_matrix.csv", "confusion_matrix.png",
            "top_losses.png", "interpret.json");

    @Override
    public Integer call() throws IOException {
        if (images != null && data != null) {
            throw new ParameterException(spec.commandLine(), "--images and --data are alternatives: give one");
        }
        if (images == null && FolderOptions.given(spec, "--strict")) {
            throw new ParameterException(spec.commandLine(), "--strict applies to --images DIR only");
        }
        Path outDir = common.out != null ? common.out : modelFile.toAbsolutePath().getParent().resolve("interpret");
        // its own folder: never the trained run's (whose model it reads), nor another command's
        Outputs.checkFolder(spec, "--out", outDir);
        try (RunFolder out = RunFolder.open(outDir, spec.qualifiedName(" "), WRITES)) {
            System.out.println(BackendInfo.current().line());
            VisionModel model = VisionModel.load(modelFile);
            InputSpec in = model.input();
            ValidationImages v;
            if (images != null) {
                v = ValidationImages.folder(images, in, strict);
                if (v.warning() != null) {
                    System.out.println(v.warning());
                }
            } else {
                if (!in.isMnist()) {
                    throw new ParameterException(spec.commandLine(), modelFile + " was trained on an image folder of "
                            + in.describe() + ": give the folder with --images DIR");
                }
                Mnist mnist = "sample".equals(data) ? Mnist.sample() : Mnist.load(Datasets.resolve("mnist", common.dataDir));
                int validSize = in.validSize() != null ? in.validSize() : mnist.defaultValidSize();
                if (validSize >= mnist.trainSize()) {
                    throw new ParameterException(spec.commandLine(), "the model validated on " + validSize
                            + " MNIST images; this MNIST has " + mnist.trainSize() + " training images");
                }
                v = ValidationImages.mnist(mnist, in);
            }
            float[] pixels = v.pixels();
            int[] labels = v.labels();
            List<String> names = v.names();    // what each validation image is called in the report
            String source = v.source();
            ClassificationInterpretation interp = ClassificationInterpretation.of(model, pixels, labels);
            ConfusionMatrix cm = interp.confusionMatrix();
            System.out.printf(Locale.ROOT, "validation images: %d from %s; accuracy %.4f, loss %.4f%n", interp.size(), source,
                    interp.accuracy(), interp.meanLoss());
            cm.writeCsv(out.resolve("confusion_matrix.csv"));
            cm.writePng(out.resolve("confusion_matrix.png"), String.format(Locale.ROOT,
                    "confusion matrix: %d validation images, accuracy %.4f", interp.size(), interp.accuracy()));
            interp.plotTopLosses(out.resolve("top_losses.png"), top);

            List<ConfusionMatrix.Confused> confused = cm.mostConfused(minVal);
            System.out.println("most confused (actual, predicted, count)" + (confused.isEmpty() ? ": none" : ":"));
            int wa = confused.stream().mapToInt(c -> c.actual().length()).max().orElse(1);
            int wp = confused.stream().mapToInt(c -> c.predicted().length()).max().orElse(1);
            for (ConfusionMatrix.Confused c : confused.subList(0, Math.min(20, confused.size()))) {
                System.out.printf(Locale.ROOT, "  %-" + wa + "s  %-" + wp + "s  %d%n", c.actual(), c.predicted(), c.count());
            }
            if (confused.size() > 20) {
                System.out.println("  ... (" + confused.size() + " pairs in interpret.json)");
            }
            List<Map<String, Object>> losses = new ArrayList<>();
            for (ClassificationInterpretation.TopLoss t : interp.topLosses(top)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("image", names.get(t.index()));
                row.put("actual", in.classes().get(t.actual()));
                row.put("predicted", in.classes().get(t.predicted()));
                row.put("loss", t.loss());
                row.put("probability", t.p());
                losses.add(row);
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", modelFile.toString());
            report.put("validation", source);
            report.put("images", interp.size());
            report.put("accuracy", interp.accuracy());
            report.put("loss", interp.meanLoss());
            report.put("most_confused", confused);
            report.put("top_losses", losses);
            AtomicFiles.writeString(out.resolve("interpret.json"), ModelArchive.JSON.writeValueAsString(report));
            out.commit();
            System.out.println("wrote confusion_matrix.csv, confusion_matrix.png, top_losses.png, interpret.json to " + out.target());
        }
        return 0;
    }
}

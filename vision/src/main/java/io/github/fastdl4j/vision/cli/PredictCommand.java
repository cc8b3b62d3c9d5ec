package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.ImageFiles;
import io.github.fastdl4j.vision.model.InputSpec;
import io.github.fastdl4j.vision.model.VisionModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** {@code vision predict}: one picture through a saved model, read as the model's training images were. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify a picture: prints the most likely classes with their probabilities (an MNIST model: the digit "
                + "and all ten).")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A model.zip from train.")
    Path modelFile;
    @Option(names = "--image", required = true,
            description = "A picture (PNG, JPEG, GIF, BMP, WebP, ...; 8 or 16 bits; any size, grey or colour: read as the model's training images were; "
                    + "for an MNIST model ideally 28x28 grey, light on dark).")
    Path image;
    @Option(names = "--top", converter = Checks.PositiveInt.class,
            description = "Classes to list, most likely first (default: ${DEFAULT-VALUE}; an MNIST model lists all ten).")
    int top = 5;

    @Override
    public Integer call() {
        System.err.println(BackendInfo.current().line());
        VisionModel m = VisionModel.load(modelFile);
        InputSpec in = m.input();
        if (in.isMnist()) {
            // the lesson's digits: read as MNIST's are drawn (28x28 grey, light on dark), with notes
            DigitImage.Pixels px = DigitImage.read(image);
            px.notes().forEach(n -> System.out.println("note: " + n));
            float[] p = m.probabilities(px.values());
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            System.out.println("digit: " + best);
            for (int i = 0; i < p.length; i++) {
                System.out.printf(Locale.ROOT, "  %d  %.4f%n", i, p[i]);
            }
            return 0;
        }
        // read through DataVec as the training images were
        float[] px = ImageFiles.readOne(image, in.size(), in.channels());
        int[] wh = ImageFiles.header(image);
        if (wh != null && (wh[0] != in.size() || wh[1] != in.size())) {
            System.out.println("note: resized from " + wh[0] + "x" + wh[1] + " to " + in.size() + "x" + in.size());
        }
        float[] p = m.probabilities(px);
        Integer[] order = IntStream.range(0, p.length).boxed()
                .sorted((a, b) -> Float.compare(p[b], p[a])).toArray(Integer[]::new);
        System.out.println("class: " + in.classes().get(order[0]));
        int width = in.classes().stream().mapToInt(String::length).max().orElse(1);
        for (int i = 0; i < Math.min(top, p.length); i++) {
            System.out.printf(Locale.ROOT, "  %-" + width + "s  %.4f%n", in.classes().get(order[i]), p[order[i]]);
        }
        return 0;
    }
}

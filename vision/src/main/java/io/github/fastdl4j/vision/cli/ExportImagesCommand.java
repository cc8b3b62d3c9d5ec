package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.Outputs;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.vision.data.MnistExport;
import io.github.fastdl4j.vision.data.Mnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code vision export-images}: MNIST as an image folder in fastai's layout, the input
 * {@code vision train --images} reads, so the folder path can be checked against the IDX path
 * on the same digits.
 */
@Command(name = "export-images", mixinStandardHelpOptions = true,
        description = "Write MNIST (or the committed sample) as an image folder: DIR/train/<digit>/<n>.png (MNIST's training "
                + "images) and DIR/valid/<digit>/<n>.png (MNIST's TEST images: training on this folder with --images "
                + "validates on MNIST's test set), 28x28 8-bit grey PNGs, n the image's index in its set; the folder "
                + "appears complete or not at all.")
final class ExportImagesCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Option(names = "--data", converter = VisionMain.DataConverter.class,
            description = "mnist (the full set, via --data-dir / FASTDL4J_DATA / download) or sample (committed 1,000 + 200 "
                    + "digits) (default: ${DEFAULT-VALUE}).")
    String data = "mnist";

    @Override
    public Integer call() throws IOException {
        if (common.out == null) {
            throw new ParameterException(spec.commandLine(), "--out DIR is needed: the folder to write the images to");
        }
        Outputs.checkFolder(spec, "--out", common.out);
        try (RunFolder out = RunFolder.open(common.out, spec.qualifiedName(" "), Set.of("train", "valid"))) {
            Mnist mnist = data.equals("sample") ? Mnist.sample() : Mnist.load(Datasets.resolve("mnist", common.dataDir));
            long t0 = System.nanoTime();
            MnistExport.Counts n = MnistExport.write(mnist, out.dir());
            out.commit();
            System.out.printf(Locale.ROOT, "wrote %d training images to %s and %d validation images (MNIST's test images) "
                            + "to %s in %.1f s%n", n.train(), out.target().resolve("train"), n.valid(), out.target().resolve("valid"),
                    (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}

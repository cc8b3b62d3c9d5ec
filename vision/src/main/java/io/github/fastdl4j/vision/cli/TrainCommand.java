package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.TrainRun;
import io.github.fastdl4j.common.cli.TrainingOptions;
import io.github.fastdl4j.common.train.Validation;
import io.github.fastdl4j.vision.VisionLearner;
import io.github.fastdl4j.common.dl4j.OneDnnHelpers;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.vision.data.ImageData;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.github.fastdl4j.vision.cli.VisionMain.Hyper;

import static io.github.fastdl4j.vision.cli.VisionMain.showResults;

/** {@code vision train}: an architecture trained with fitOneCycle on MNIST or an image folder, written as a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an architecture with fitOneCycle on MNIST or a folder of images (--images); writes model.zip, "
                + "metrics.json and charts to --out.")
final class TrainCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    Hyper hyper;
    @Mixin
    FolderOptions folder;
    @Mixin
    ArchOption archOption;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws IOException {
        Arch arch = archOption.arch;
        folder.check(spec, hyper.shift);
        Build build = hyper.build(arch);
        try (TrainRun run = TrainRun.start("vision", arch.cliName(), spec, common, training)) {
            long t0 = System.nanoTime();
            ImageData data = hyper.load(common, folder);
            double readSeconds = (System.nanoTime() - t0) / 1e9;
            hyper.fitBatchToData = hyper.fitBatch(spec);
            VisionLearner learn = hyper.learner(data, arch, build, common.seed);
            long trainImages = learn.learner().data().trainSize();
            long validImages = learn.learner().data().validSize();
            System.out.println(data.describe(trainImages, validImages, hyper.validSize != null && hyper.validSize == 0,
                    readSeconds));
            if (build != Build.SCRATCH) {
                System.out.println("oneDNN layer helpers: " + (OneDnnHelpers.active() ? "on" : "off"));
            }
            System.out.println(learn.learner().model().describe() + ", " + arch + " " + build + " build, "
                    + hyper.options(common.seed) + data.inputNote());
            String batchNote = Hyper.batchNote(learn, hyper.batchSize);
            if (batchNote != null) {
                System.out.println(batchNote);
            }
            run.config().put("bs", learn.batchSize());   // the batch size used
            run.attach(learn.learner(), data.checksum());
            FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
            double validAccuracy = fit.kept().metrics().get("accuracy");
            Validation test = learn.hasTest() ? learn.test() : null;
            if (test != null) {
                System.out.printf(Locale.ROOT, "test accuracy %.4f on the %d test images (valid accuracy %.4f at epoch %d)%n",
                        test.metrics().get("accuracy"), data.testSize(), validAccuracy, fit.kept().epoch());
            } else {
                System.out.printf(Locale.ROOT, "no test images (no test/ folder): valid accuracy %.4f at epoch %d%n",
                        validAccuracy, fit.kept().epoch());
            }
            run.config().put("build", build.cliName());
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("train_images", trainImages);
            extra.put("valid_images", validImages);
            extra.put("test_images", data.testSize());
            if (test != null) {
                extra.put("test_loss", test.loss());
                extra.put("test_accuracy", test.metrics().get("accuracy"));
            }
            extra.putAll(data.facts());
            run.finish(learn.model()::save, data.checksum(), run.report(fit, extra), charts -> {
                fit.plot(charts, "");
                showResults(learn, charts.resolve("results.png"));
            }, String.format(Locale.ROOT, "valid accuracy %.4f, ", validAccuracy)
                    + (test != null ? String.format(Locale.ROOT, "test accuracy %.4f, ", test.metrics().get("accuracy")) : "")
                    + String.format(Locale.ROOT, "%.0f images/s", fit.samplesPerSecond()));
        }
        return 0;
    }
}

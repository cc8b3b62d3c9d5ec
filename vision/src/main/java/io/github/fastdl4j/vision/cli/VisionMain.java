package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.Cli;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.FitOptions;
import io.github.fastdl4j.common.cli.ParsingConverter;
import io.github.fastdl4j.common.cli.TrainRun;
import io.github.fastdl4j.common.cli.TrainingOptions;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.LrFindResult;
import io.github.fastdl4j.common.train.Validation;
import io.github.fastdl4j.vision.VisionLearner;
import io.github.fastdl4j.vision.explain.Pictures;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.dl4j.OneDnnHelpers;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.common.train.RunReport;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import io.github.fastdl4j.vision.model.Build;
import io.github.fastdl4j.vision.model.VisionModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./fastdl4j vision ...}: train, predict, explain, bench. */
@Command(name = "vision", mixinStandardHelpOptions = true, description = "MNIST convnets and convolution explained.",
        subcommands = {VisionMain.Train.class, VisionMain.LrFind.class, VisionMain.Predict.class, ExplainCommand.class,
                VisionMain.Bench.class})
public final class VisionMain implements Runnable {

    public static void main(String[] args) {
        System.exit(Cli.execute(new VisionMain(), "vision", args));
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Architecture and training options shared by train and bench; fastbook's simple-cnn run by default. */
    static class Hyper extends FitOptions {
        @Option(names = "--activation", converter = ActivationConverter.class, description = "relu | mish (default: ${DEFAULT-VALUE}).")
        String activation = "relu";
        @Option(names = "--dropout", converter = Checks.DropProbability.class,
                description = "Probability of dropping, as in PyTorch (default: ${DEFAULT-VALUE}).")
        double dropout = 0;
        @Option(names = "--batchnorm", arity = "1", description = "Batchnorm after convolutions: true|false (default: ${DEFAULT-VALUE}).")
        boolean batchnorm = true;
        @Option(names = "--data", converter = DataConverter.class,
                description = "mnist (the full set, via --data-dir / FASTDL4J_DATA / download) or sample (committed 1,000 + 200 digits) (default: ${DEFAULT-VALUE}).")
        String data = "mnist";
        @Option(names = "--shift", converter = ShiftConverter.class,
                description = "Augmentation: move training images by up to N pixels at random, 0..13 (0 = none) (default: ${DEFAULT-VALUE}).")
        int shift = 0;
        @Option(names = "--subset", converter = Checks.NonNegativeInt.class,
                description = "Use only the first N training images (0 = all) (default: ${DEFAULT-VALUE}).")
        int subset = 0;
        @Option(names = "--valid-size", converter = Checks.PositiveInt.class,
                description = "Validation images taken from the training images (default: a sixth, 10,000 of MNIST's 60,000).")
        Integer validSize;
        @Option(names = "--build", converter = BuildConverter.class,
                description = "stock (DL4J as shipped) | onednn (DL4J with its oneDNN layer helpers) | scratch "
                        + "(written from scratch; simple-cnn and wide-cnn) (default: scratch where it exists, else onednn).")
        Build build;

        Hyper() {
            super(5, 0.06, 0.01, 512);
        }

        Mnist load(CommonOptions common) {
            return data.equals("sample") ? Mnist.sample() : Mnist.load(Datasets.resolve("mnist", common.dataDir));
        }

        ArchOptions options(long seed) {
            return new ArchOptions(activation, dropout, batchnorm, seed);
        }

        Build build(Arch arch) {
            return build == null ? Build.fastest(arch) : build;
        }

        VisionLearner learner(Mnist mnist, Arch arch, Build build, long seed) {
            VisionLearner.Builder b = VisionLearner.of(mnist).arch(arch).build(build).options(options(seed))
                    .batchSize(batchSize).seed(seed).subset(subset).shift(shift);
            if (validSize != null) {
                b.validSize(validSize);
            }
            return b.build();
        }

        void checkBuild(picocli.CommandLine.Model.CommandSpec spec, Arch arch) {
            if (!build(arch).supports(arch)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--build " + build(arch) + " exists for simple-cnn and wide-cnn only, not " + arch);
            }
        }
    }

    /** relu | mish; anything else is a usage error. */
    static final class ActivationConverter extends ParsingConverter<String> {
        ActivationConverter() {
            super(v -> oneOf(v, "relu", "mish"));
        }
    }

    /** mnist | sample; anything else is a usage error. */
    static final class DataConverter extends ParsingConverter<String> {
        DataConverter() {
            super(v -> oneOf(v, "mnist", "sample"));
        }
    }

    /** Shifts of 0..13 pixels (half a 28-pixel image: more would move digits out of the picture). */
    static final class ShiftConverter extends ParsingConverter<Integer> {
        ShiftConverter() {
            super(v -> {
                int n = new Checks.NonNegativeInt().convert(v);
                if (n > 13) {
                    throw new IllegalArgumentException("must be 0..13 pixels, got " + n);
                }
                return n;
            });
        }
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String oneOf(String v, String... allowed) {
        if (!java.util.Arrays.asList(allowed).contains(v)) {
            throw new IllegalArgumentException("expected one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return v;
    }

    /** Build names; a bad one is a usage error (exit code 2). */
    static final class BuildConverter extends ParsingConverter<Build> {
        BuildConverter() {
            super(Build::of);
        }
    }

    /** Architecture names; a bad one is a usage error (exit code 2). */
    static final class ArchConverter extends ParsingConverter<Arch> {
        ArchConverter() {
            super(Arch::of);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train an architecture with fitOneCycle; writes model.zip, metrics.json and charts to --out.")
    static final class Train implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Mixin
        Hyper hyper;
        @Option(names = "--arch", converter = ArchConverter.class,
                description = "classic | stride2 | concat | simple-cnn | wide-cnn (default: ${DEFAULT-VALUE}).")
        Arch arch = Arch.SIMPLE_CNN;

        @Mixin
        TrainingOptions training;

        @Override
        public Integer call() throws IOException {
            hyper.checkBuild(spec, arch);
            Build build = hyper.build(arch);
            try (TrainRun run = TrainRun.start("vision", arch.cliName(), spec, common, training)) {
                Mnist mnist = hyper.load(common);
                VisionLearner learn = hyper.learner(mnist, arch, build, common.seed);
                long trainImages = learn.learner().data().train() instanceof io.github.fastdl4j.common.data.ArrayDataLoader a
                        ? a.size() : -1;
                long validImages = learn.learner().data().valid() instanceof io.github.fastdl4j.common.data.ArrayDataLoader a
                        ? a.size() : -1;
                System.out.printf(Locale.ROOT, "MNIST: %d training and %d validation images (taken from the %d training "
                                + "images), %d test images kept for the end (pixel mean %.4f, std %.4f)%n", trainImages, validImages,
                        mnist.trainSize(), mnist.testSize(), mnist.mean(), mnist.std());
                if (build != Build.SCRATCH) {
                    System.out.println("oneDNN layer helpers: " + (OneDnnHelpers.active() ? "on" : "off"));
                }
                System.out.println(learn.learner().model().describe() + ", " + arch + " " + build + " build, "
                        + hyper.options(common.seed));
                run.attach(learn.learner(), mnist.checksum());
                FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
                Validation test = learn.test();
                double testAccuracy = test.metrics().get("accuracy");
                System.out.printf(Locale.ROOT, "test accuracy %.4f on the %d test images (valid accuracy %.4f at epoch %d)%n",
                        testAccuracy, mnist.testSize(), fit.kept().metrics().get("accuracy"), fit.kept().epoch());
                run.config().put("build", build.cliName());
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("train_images", trainImages);
                extra.put("valid_images", validImages);
                extra.put("test_images", mnist.testSize());
                extra.put("test_loss", test.loss());
                extra.put("test_accuracy", testAccuracy);
                run.finish(learn.model()::save, mnist.checksum(), run.report(fit, extra), charts -> {
                    fit.plot(charts, "");
                    showResults(learn, charts.resolve("results.png"));
                }, String.format(Locale.ROOT, "valid accuracy %.4f, test accuracy %.4f, %.0f images/s",
                        fit.kept().metrics().get("accuracy"), testAccuracy, fit.samplesPerSecond()));
            }
            return 0;
        }
    }

    /** fastai's show_results: a grid of validation digits, captions "pred/actual", wrong ones in red. */
    static void showResults(VisionLearner learn, Path png) throws IOException {
        List<VisionLearner.Result> rs = learn.showResults(18);
        List<Pictures.Map2d> maps = new java.util.ArrayList<>();
        List<Integer> wrong = new java.util.ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            VisionLearner.Result r = rs.get(i);
            maps.add(new Pictures.Map2d(String.format(Locale.ROOT, "%d/%d (%.2f)", r.predicted(), r.actual(), r.p()), r.pixels()));
            if (r.predicted() != r.actual()) {
                wrong.add(i);
            }
        }
        Pictures.grid(png, "show_results: predicted/actual (probability) on validation digits; wrong in red", maps, 6, wrong);
    }

    @Command(name = "lr-find", mixinStandardHelpOptions = true,
            description = "fastai's learning-rate finder: prints the suggestions (valley, minimum/10, steep), writes lr_find.png to --out.")
    static final class LrFind implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Mixin
        Hyper hyper;
        @Option(names = "--arch", converter = ArchConverter.class,
                description = "classic | stride2 | concat | simple-cnn | wide-cnn (default: ${DEFAULT-VALUE}).")
        Arch arch = Arch.SIMPLE_CNN;

        @Override
        public Integer call() throws IOException {
            hyper.checkBuild(spec, arch);
            try (RunFolder out = common.openOut("vision-lr-find-" + arch.cliName())) {
                System.out.println(BackendInfo.current().line());
                VisionLearner learn = hyper.learner(hyper.load(common), arch, hyper.build(arch), common.seed);
                LrFindResult r = learn.learner().lrFind();
                r.plot(out.resolve("lr_find.png"));
                out.commit();
                System.out.printf(Locale.ROOT, "suggested learning rates: valley %.2e, minimum/10 %.2e, steep %.2e (%d steps); "
                        + "wrote %s%n", r.valley(), r.minimum(), r.steep(), r.lrs().length, out.target().resolve("lr_find.png"));
            }
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true, description = "Classify a digit image (PNG).")
    static final class Predict implements Callable<Integer> {
        @Option(names = "--model-file", required = true, description = "A model.zip from train.")
        Path modelFile;
        @Option(names = "--image", required = true, description = "A digit picture, ideally 28x28 grey, light on dark.")
        Path image;

        @Override
        public Integer call() {
            System.err.println(BackendInfo.current().line());
            VisionModel m = VisionModel.load(modelFile);
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
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Train each architecture and print one JSON line each (speed and test accuracy).")
    static final class Bench implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        Hyper hyper;
        @Option(names = "--archs", split = ",", converter = ArchConverter.class,
                description = "Architectures (default: classic,stride2,concat,simple-cnn; wide-cnn on request).")
        List<Arch> archs = List.of(Arch.CLASSIC, Arch.STRIDE2, Arch.CONCAT, Arch.SIMPLE_CNN);
        @Option(names = "--builds", split = ",", converter = BuildConverter.class,
                description = "Builds to run each architecture with, in this order (default: stock,onednn,scratch; "
                        + "scratch only for simple-cnn and wide-cnn).")
        List<Build> builds = List.of(Build.values());

        @Override
        public Integer call() throws IOException {
            BackendInfo backend = BackendInfo.current();
            System.err.println(backend.line());
            Mnist mnist = hyper.load(common);
            for (Arch arch : archs) {
                // the same run, same seed and data order for each build: the stock DL4J graph, the
                // graph with oneDNN helpers, the from-scratch module
                for (Build build : hyper.build != null ? List.of(hyper.build) : builds) {   // --build: that one only
                    if (!build.supports(arch)) {
                        continue;
                    }
                    VisionLearner vl = hyper.learner(mnist, arch, build, common.seed);
                    Learner learn = vl.learner().quiet(true);
                    long t0 = System.nanoTime();
                    FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
                    double wall = (System.nanoTime() - t0) / 1e9;
                    // inference speed and the test number, once, on the test images
                    var testBatches = mnist.testLoader(1000);
                    long t1 = System.nanoTime();
                    long n = 0;
                    while (testBatches.hasNext()) {
                        MultiDataSet b = testBatches.next();
                        n += vl.model().probabilities(b.getFeatures(0)).size(0);
                    }
                    double inferSecs = (System.nanoTime() - t1) / 1e9;
                    double testAccuracy = vl.test().metrics().get("accuracy");
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("arch", arch.cliName());
                    line.put("build", build.cliName());
                    line.put("epochs", hyper.epochs);
                    line.put("batch_size", hyper.batchSize);
                    line.put("train_images", fit.samples() / hyper.epochs);
                    line.put("train_images_per_sec", Math.round(fit.samplesPerSecond()));
                    line.put("inference_images_per_sec", Math.round(n / inferSecs));
                    line.put("seconds_per_epoch", round(wall / hyper.epochs, 2));
                    line.put("valid_accuracy", round(fit.last().metrics().get("accuracy"), 4));
                    line.put("test_accuracy", round(testAccuracy, 4));
                    line.put("backend", backend.shortName());
                    System.out.println(RunReport.jsonLine(line));
                }
            }
            return 0;
        }
    }
}

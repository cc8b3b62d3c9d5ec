package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.Cli;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.FitOptions;
import io.github.fastdl4j.common.cli.LrFindRun;
import io.github.fastdl4j.common.cli.MemoryPeaks;
import io.github.fastdl4j.common.cli.ParsingConverter;
import io.github.fastdl4j.common.cli.TrainRun;
import io.github.fastdl4j.common.cli.TrainingOptions;
import io.github.fastdl4j.common.train.Validation;
import io.github.fastdl4j.vision.VisionLearner;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.dl4j.OneDnnHelpers;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.EpochResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Listener;
import io.github.fastdl4j.common.train.TrainingState;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.common.train.RunReport;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.ImageData;
import io.github.fastdl4j.vision.data.ImageFiles;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.interpret.ImageGrid;
import io.github.fastdl4j.vision.model.InputSpec;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import io.github.fastdl4j.vision.model.Build;
import io.github.fastdl4j.vision.model.VisionModel;
import io.github.fastdl4j.vision.model.fast.Profile;
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

/** {@code ./fastdl4j vision ...}: train, lr-find, predict, interpret, export-images, explain, bench. */
@Command(name = "vision", mixinStandardHelpOptions = true,
        description = "Convnets on MNIST or a folder of images, their interpretation, and convolution explained.",
        subcommands = {VisionMain.Train.class, VisionMain.LrFind.class, VisionMain.Predict.class, InterpretCommand.class,
                ExportImagesCommand.class, ExplainCommand.class, VisionMain.Bench.class})
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
                description = "mnist (the full set, via --data-dir / FASTDL4J_DATA / download) or sample (committed 1,000 + 200 digits) "
                        + "(default: ${DEFAULT-VALUE}; bench: always MNIST).")
        String data = "mnist";
        @Option(names = "--shift", converter = ShiftConverter.class,
                description = "Augmentation: move training images by up to N pixels at random, 0..13 (0 = none) (default: ${DEFAULT-VALUE}).")
        int shift = 0;
        @Option(names = "--subset", converter = Checks.NonNegativeInt.class,
                description = "Use only a seeded random N of the training images (0 = all) (default: ${DEFAULT-VALUE}).")
        int subset = 0;
        @Option(names = "--valid-size", converter = Checks.NonNegativeInt.class,
                description = "MNIST: validation images taken from the training images (default: a sixth, 10,000 of MNIST's 60,000; "
                        + "bench: 0). 0 trains on every training image and validates on the test set, as fastbook's notebook "
                        + "and the PyTorch reference do: for fixed recipes only, since nothing is then held out for choices.")
        Integer validSize;
        @Option(names = "--build", converter = BuildConverter.class,
                description = "stock (DL4J as shipped) | onednn (DL4J with its oneDNN layer helpers) | scratch "
                        + "(our layers, written from scratch, on oneDNN's kernels) (default: scratch).")
        Build build;

        Hyper() {
            super(5, 0.06, 0.01, 512);
        }

        Mnist load(CommonOptions common) {
            if (data.equals("sample")) {
                return Mnist.sample();
            }
            Path dir;
            try {
                dir = Datasets.resolve("mnist", common.dataDir);
            } catch (io.github.fastdl4j.common.data.DataException e) {
                throw withSampleHint(e);
            }
            return Mnist.load(dir);
        }

        /** MNIST not found nor downloaded: the same line, saying that the committed sample needs no download. */
        static io.github.fastdl4j.common.data.DataException withSampleHint(io.github.fastdl4j.common.data.DataException e) {
            String m = e.getMessage().strip();
            return new io.github.fastdl4j.common.data.DataException(m + (m.endsWith(".") ? "" : ".")
                    + " Or, without a download: --data sample (the committed 1,000 + 200 digits).", e);
        }

        /**
         * Whether the batch is sized to the data: --bs was not given (by flag or config file) and
         * is the default. {@code spec}: the command's, to see what was given.
         */
        boolean fitBatch(picocli.CommandLine.Model.CommandSpec spec) {
            return batchSize == 512 && !spec.commandLine().getParseResult().hasMatchedOption("--bs");
        }

        /** The line saying that the batch was sized to the data (null when it was not). */
        static String batchNote(VisionLearner learn, int asked) {
            if (learn.batchSize() == asked) {
                return null;
            }
            long n = learn.learner().data().trainSize();
            return String.format(Locale.ROOT, "batch size %d, not %d: %d training images would give %d step%s an epoch at %d "
                            + "(one-cycle needs dozens; --bs sets it)", learn.batchSize(), asked, n, (n + asked - 1) / asked,
                    (n + asked - 1) / asked == 1 ? "" : "s", asked);
        }

        /** The image folder of {@code --images}, else MNIST or the sample ({@code --data}). */
        ImageData load(CommonOptions common, FolderOptions folder) {
            return folder.images != null ? folder.load() : load(common);
        }

        ArchOptions options(long seed) {
            return new ArchOptions(activation, dropout, batchnorm, seed);
        }

        Build build(Arch arch) {
            return build == null ? Build.fastest(arch) : build;
        }

        /** Set by the commands that size the batch to the data ({@link #fitBatch}). */
        boolean fitBatchToData;

        VisionLearner learner(ImageData data, Arch arch, Build build, long seed) {
            return learner(data, arch, build, seed, validSize);
        }

        /** As {@link #learner(ImageData, Arch, Build, long)} with the validation size given (null: the data's default). */
        VisionLearner learner(ImageData data, Arch arch, Build build, long seed, Integer validImages) {
            VisionLearner.Builder b = VisionLearner.of(data).arch(arch).build(build).options(options(seed))
                    .batchSize(batchSize).seed(seed).subset(subset).shift(shift).fitBatchToData(fitBatchToData);
            if (validImages != null) {
                b.validSize(validImages);
            }
            return b.build();
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
            description = "Train an architecture with fitOneCycle on MNIST or a folder of images (--images); writes model.zip, "
                    + "metrics.json and charts to --out.")
    static final class Train implements Callable<Integer> {
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

    /** fastai's show_results: a grid of validation images, captions "pred/actual", wrong ones in red. */
    static void showResults(VisionLearner learn, Path png) throws IOException {
        List<VisionLearner.Result> rs = learn.showResults(18);
        var in = learn.model().input();
        List<ImageGrid.Tile> tiles = new java.util.ArrayList<>();
        for (VisionLearner.Result r : rs) {
            tiles.add(new ImageGrid.Tile(String.format(Locale.ROOT, "%s/%s (%.2f)", in.classes().get(r.predicted()),
                    in.classes().get(r.actual()), r.p()), in.denormalise(r.image()), in.channels(), in.size(),
                    r.predicted() != r.actual()));
        }
        ImageGrid.write(png, "show_results: predicted/actual (probability) on validation " + (in.isMnist() ? "digits" : "images")
                + "; wrong in red", tiles, 6);
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
        @Mixin
        FolderOptions folder;
        @Mixin
        ArchOption archOption;

        @Override
        public Integer call() throws IOException {
            Arch arch = archOption.arch;
            folder.check(spec, hyper.shift);
            LrFindRun.run(common, "vision-lr-find-" + arch.cliName(), () -> {
                hyper.fitBatchToData = hyper.fitBatch(spec);
                VisionLearner learn = hyper.learner(hyper.load(common, folder), arch, hyper.build(arch), common.seed);
                String batchNote = Hyper.batchNote(learn, hyper.batchSize);
                if (batchNote != null) {
                    System.out.println(batchNote);
                }
                return learn.learner();
            });
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Classify a picture: prints the most likely classes with their probabilities (an MNIST model: the digit "
                    + "and all ten).")
    static final class Predict implements Callable<Integer> {
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
            Integer[] order = java.util.stream.IntStream.range(0, p.length).boxed()
                    .sorted((a, b) -> Float.compare(p[b], p[a])).toArray(Integer[]::new);
            System.out.println("class: " + in.classes().get(order[0]));
            int width = in.classes().stream().mapToInt(String::length).max().orElse(1);
            for (int i = 0; i < Math.min(top, p.length); i++) {
                System.out.printf(Locale.ROOT, "  %-" + width + "s  %.4f%n", in.classes().get(order[i]), p[order[i]]);
            }
            return 0;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Train each architecture in each build and print one JSON line each: training and inference speed, "
                    + "test accuracy after every epoch, seconds of training to 99%% test accuracy, peak memory.")
    static final class Bench implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        Hyper hyper;
        @Option(names = "--archs", split = ",", converter = ArchConverter.class,
                description = "Architectures (default: classic,stride2,concat,simple-cnn,wide-cnn).")
        List<Arch> archs = List.of(Arch.values());
        @Option(names = "--builds", split = ",", converter = BuildConverter.class,
                description = "Builds to run each architecture with, in this order (default: onednn,scratch: the DL4J graph with "
                        + "its oneDNN helpers, then ours; add stock for DL4J as shipped).")
        List<Build> builds = List.of(Build.ONEDNN, Build.SCRATCH);

        @Override
        public Integer call() throws IOException {
            common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
            BackendInfo backend = BackendInfo.current();
            System.err.println(backend.line());
            Mnist mnist = hyper.load(common);
            for (Arch arch : archs) {
                // the same run, same seed and data order for each build
                for (Build build : hyper.build != null ? List.of(hyper.build) : builds) {   // --build: that one only
                    System.out.println(RunReport.jsonLine(run(mnist, arch, build, backend)));
                }
            }
            return 0;
        }

        private Map<String, Object> run(Mnist mnist, Arch arch, Build build, BackendInfo backend) {
            MemoryPeaks.reset();
            // a fixed recipe timed against PyTorch, which trains on all 60,000: by default the bench does too
            VisionLearner vl = hyper.learner(mnist, arch, build, common.seed, hyper.validSize != null ? hyper.validSize : 0);
            // test accuracy at the end of every epoch (not timed: trainSeconds counts training steps only)
            List<Double> testByEpoch = new java.util.ArrayList<>();
            List<Double> secondsByEpoch = new java.util.ArrayList<>();
            Learner learn = vl.learner().quiet(true).addListener(new Listener() {
                @Override
                public void onEpochEnd(TrainingState state, EpochResult result) {
                    secondsByEpoch.add(state.fitState().trainSeconds());
                    testByEpoch.add(vl.test().metrics().get("accuracy"));
                }
            });
            boolean profile = Profile.enabled() && build == Build.SCRATCH;     // -Dfastdl4j.dnnl.profile=true
            if (profile) {
                Profile.reset();
            }
            long t0 = System.nanoTime();
            FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
            double wall = (System.nanoTime() - t0) / 1e9;
            if (profile) {
                System.err.printf(Locale.ROOT, "%s %s, training (%.1f s of steps; validation and test after each epoch included):%n%s",
                        arch.cliName(), build.cliName(), fit.trainSeconds(), Profile.table());
                Profile.reset();
            }
            // inference speed on the test images, batches of 1,000
            var testBatches = mnist.testLoader(1000);
            long n = 0;
            long t1 = System.nanoTime();
            while (testBatches.hasNext()) {
                MultiDataSet b = testBatches.next();
                n += vl.model().probabilities(b.getFeatures(0)).size(0);
            }
            double inferSecs = (System.nanoTime() - t1) / 1e9;
            if (profile) {
                System.err.printf(Locale.ROOT, "%s %s, inference on the test images, bs 1000 (%.2f s):%n%s", arch.cliName(),
                        build.cliName(), inferSecs, Profile.table());
            }
            Double to99 = null;
            for (int e = 0; e < testByEpoch.size(); e++) {
                if (testByEpoch.get(e) >= 0.99) {
                    to99 = round(secondsByEpoch.get(e), 1);
                    System.err.printf(Locale.ROOT, "%s %s: 99%% test accuracy after epoch %d of %d, %.1f s of training%n", arch,
                            build, e + 1, hyper.epochs, secondsByEpoch.get(e));
                    break;
                }
            }
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
            line.put("test_accuracy", round(testByEpoch.get(testByEpoch.size() - 1), 4));
            line.put("test_accuracy_per_epoch", testByEpoch.stream().map(a -> round(a, 4)).toList());
            line.put("train_seconds_at_epoch_end", secondsByEpoch.stream().map(s -> round(s, 2)).toList());
            line.put("seconds_to_99", to99);
            line.put("peak_heap_mb", MemoryPeaks.heapMb());
            line.put("peak_rss_mb_so_far", MemoryPeaks.residentMb());
            line.put("backend", backend.shortName());
            return line;
        }
    }
}

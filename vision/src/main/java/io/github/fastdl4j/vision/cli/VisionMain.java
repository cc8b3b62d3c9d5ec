package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.Cli;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.FitOptions;
import io.github.fastdl4j.common.cli.ParsingConverter;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.vision.VisionLearner;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.vision.data.ImageData;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.interpret.ImageGrid;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import io.github.fastdl4j.vision.model.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code ./fastdl4j vision ...}: train, lr-find, predict, interpret, export-images, explain, bench. */
@Command(name = "vision", mixinStandardHelpOptions = true,
        description = "Convnets on MNIST or a folder of images, their interpretation, and convolution explained.",
        subcommands = {TrainCommand.class, LrFindCommand.class, PredictCommand.class, InterpretCommand.class,
                ExportImagesCommand.class, ExplainCommand.class, BenchCommand.class})
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
            } catch (BadInputException e) {
                throw withSampleHint(e);
            }
            return Mnist.load(dir);
        }

        /** MNIST not found nor downloaded: the same line, saying that the committed sample needs no download. */
        static BadInputException withSampleHint(BadInputException e) {
            String m = e.getMessage().strip();
            return new BadInputException(m + (m.endsWith(".") ? "" : ".")
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
        if (!Arrays.asList(allowed).contains(v)) {
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

    /** fastai's show_results: a grid of validation images, captions "pred/actual", wrong ones in red. */
    static void showResults(VisionLearner learn, Path png) throws IOException {
        List<VisionLearner.Result> rs = learn.showResults(18);
        var in = learn.model().input();
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        for (VisionLearner.Result r : rs) {
            tiles.add(new ImageGrid.Tile(String.format(Locale.ROOT, "%s/%s (%.2f)", in.classes().get(r.predicted()),
                    in.classes().get(r.actual()), r.p()), in.denormalise(r.image()), in.channels(), in.size(),
                    r.predicted() != r.actual()));
        }
        ImageGrid.write(png, "show_results: predicted/actual (probability) on validation " + (in.isMnist() ? "digits" : "images")
                + "; wrong in red", tiles, 6);
    }

}

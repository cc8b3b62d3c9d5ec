package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.Outputs;
import io.github.fastdl4j.common.dl4j.Dropouts;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.Trainable;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.explain.Im2Col;
import io.github.fastdl4j.vision.explain.Pictures;
import io.github.fastdl4j.vision.explain.Pictures.Map2d;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.Build;
import io.github.fastdl4j.vision.model.ArchOptions;
import io.github.fastdl4j.vision.model.Architectures;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ./fastdl4j vision explain --out DIR}: the lesson's convolution mechanics on a real digit,
 * as pictures: hand-made edge filters (computed with {@link Im2Col}), a second layer combining
 * two channels, 2x2 max pooling, a dropout mask, and the loss and learning rate of a short
 * one-cycle run.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Convolution explained on a digit: edge filters, a second layer, max-pool, dropout, one-cycle (PNGs in --out).")
final class ExplainCommand implements Callable<Integer> {

    /** fastbook's hand-made 3x3 filters. */
    static final double[][] TOP_EDGE = {{-1, -1, -1}, {0, 0, 0}, {1, 1, 1}};
    static final double[][] LEFT_EDGE = {{-1, 1, 0}, {-1, 1, 0}, {-1, 1, 0}};
    static final double[][] DIAG1_EDGE = {{0, -1, 1}, {-1, 1, 0}, {1, 0, 0}};
    static final double[][] DIAG2_EDGE = {{1, -1, 0}, {0, 1, -1}, {0, 0, 1}};

    @Option(names = "--out", required = true, description = "Folder for the pictures.")
    Path out;
    @Option(names = "--index", converter = Checks.NonNegativeInt.class,
            description = "Which test digit of the committed sample, 0..199 (default: ${DEFAULT-VALUE}).")
    int index = 0;
    @Option(names = "--dropout-p", converter = Checks.DropProbability.class,
            description = "Probability of dropping in the dropout demonstration (default: ${DEFAULT-VALUE}).")
    double dropoutP = 0.5;
    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The pictures explain writes. */
    static final Set<String> WRITES = Set.of("edges.png", "second_layer.png", "maxpool.png", "dropout.png",
            "one_cycle_loss.png", "one_cycle_lr.png");

    @Override
    public Integer call() throws IOException {
        if (index >= 200) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--index must be 0..199 (the sample's test digits), got " + index);
        }
        Outputs.checkFolder(spec, "--out", out);
        try (RunFolder folder = RunFolder.open(out, spec.qualifiedName(" "),
                WRITES)) {
            explain(folder.dir());
            folder.commit();
        }
        System.out.println("pictures in " + out);
        return 0;
    }

    private void explain(Path out) throws IOException {
        Mnist mnist = Mnist.sample();
        int[] raw = mnist.rawTestImage(index);
        double[] px = new double[raw.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = raw[i] / 255.0;
        }
        INDArray image = Nd4j.create(px, new long[]{1, 1, 28, 28}, 'c');
        System.out.println("test digit " + index + " of the sample, labelled " + mnist.testLabels()[index]);

        // 1. four edge filters as one convolution with 4 output channels
        INDArray kernels = Nd4j.create(new double[][][][]{{TOP_EDGE}, {LEFT_EDGE}, {DIAG1_EDGE}, {DIAG2_EDGE}});
        INDArray maps = Im2Col.conv2d(image, kernels, null, 1, 1);
        Pictures.row(out.resolve("edges.png"), "Hand-made 3x3 filters applied with im2col (bright = strong response)",
                List.of(new Map2d("input digit", map(image, 0)), new Map2d("top edge", map(maps, 0)),
                        new Map2d("left edge", map(maps, 1)), new Map2d("diagonal /", map(maps, 2)),
                        new Map2d("diagonal \\", map(maps, 3))));

        // 2. a second layer: one kernel over two channels (top and left edges) finds corners
        INDArray twoChannels = maps.get(NDArrayIndex.all(),
                NDArrayIndex.interval(0, 2)).dup('c');
        INDArray corner = Nd4j.create(new double[][][][]{{TOP_EDGE, LEFT_EDGE}});
        INDArray second = Im2Col.conv2d(Nd4j.nn().relu(twoChannels, 0), corner, null, 1, 1);
        Pictures.row(out.resolve("second_layer.png"), "Second layer: a 2-channel kernel over ReLU(top edge), ReLU(left edge)",
                List.of(new Map2d("relu(top edge)", map(Nd4j.nn().relu(twoChannels, 0), 0)),
                        new Map2d("relu(left edge)", map(Nd4j.nn().relu(twoChannels, 0), 1)),
                        new Map2d("combined", map(second, 0))));

        // 3. max pooling 2x2: keeps the strongest response of each block, loses where it was
        double[][] top = map(maps, 0);
        double[][] pooled = new double[14][14];
        for (int y = 0; y < 14; y++) {
            for (int x = 0; x < 14; x++) {
                pooled[y][x] = Math.max(Math.max(top[2 * y][2 * x], top[2 * y][2 * x + 1]),
                        Math.max(top[2 * y + 1][2 * x], top[2 * y + 1][2 * x + 1]));
            }
        }
        Pictures.row(out.resolve("maxpool.png"), "Max-pool 2x2, stride 2: 28x28 -> 14x14",
                List.of(new Map2d("top edge 28x28", top), new Map2d("max-pooled 14x14", pooled)));
        System.out.println("max-pool 2x2: keeps 1 value in 4 (the largest of each block); the position inside the block is lost");

        // 4. dropout as DL4J applies it, with PyTorch's p converted to DL4J's keep probability
        // the mask is DL4J's dropout applied to ones: 0 where dropped, 1/(1-p) where kept
        Nd4j.getRandom().setSeed(seed);
        INDArray mask = Dropouts.applyTraining(dropoutP, Nd4j.ones(DataType.FLOAT, 1, 28 * 28))
                .castTo(DataType.DOUBLE);
        INDArray dropped = Nd4j.create(flat(top), new long[]{1, 28 * 28}, 'c').muli(mask);
        double droppedFraction = mask.eq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        double scale = mask.maxNumber().doubleValue();
        Pictures.row(out.resolve("dropout.png"), String.format(Locale.ROOT,
                        "Dropout p=%.2f at training time (DL4J keep probability %.2f); at inference nothing is dropped",
                        dropoutP, 1 - dropoutP),
                List.of(new Map2d("input", top), new Map2d("mask (white = kept)", reshape(mask)),
                        new Map2d("training output", reshape(dropped))));
        System.out.printf(Locale.ROOT, "dropout p=%.2f: dropped %.3f of the values, survivors scaled by %.4f (1/(1-p) = %.4f); "
                + "inference uses no mask%n", dropoutP, droppedFraction, scale, 1 / (1 - dropoutP));

        // 5. a short one-cycle run on the sample: loss and learning rate per batch
        Trainable net = Build.STOCK.create(Arch.SIMPLE_CNN, ArchOptions.defaults(seed));
        Learner learn = Learner.of(net, mnist.loaders(64, seed, 0), Losses.crossEntropy(net), Metrics.accuracy());
        FitResult fit = learn.fitOneCycle(3, 0.06, 0.01);
        fit.plot(out, "one_cycle_");
    }

    private static double[][] map(INDArray nchw, int channel) {
        long h = nchw.size(2);
        long w = nchw.size(3);
        double[][] m = new double[(int) h][(int) w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[y][x] = nchw.getDouble(0, channel, y, x);
            }
        }
        return m;
    }

    private static double[] flat(double[][] m) {
        double[] f = new double[m.length * m[0].length];
        for (int y = 0; y < m.length; y++) {
            System.arraycopy(m[y], 0, f, y * m[0].length, m[0].length);
        }
        return f;
    }

    private static double[][] reshape(INDArray row) {
        double[][] m = new double[28][28];
        for (int i = 0; i < 28 * 28; i++) {
            m[i / 28][i % 28] = row.getDouble(i);
        }
        return m;
    }
}

package io.github.fastdl4j.vision;

import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.common.train.Validation;
import io.github.fastdl4j.vision.data.ImageData;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import io.github.fastdl4j.vision.model.Build;
import io.github.fastdl4j.vision.model.VisionModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * fastai's {@code vision_learner} for the lesson's digits, or any folder of images, in one line:
 * <pre>{@code
 * VisionLearner learn = VisionLearner.of(Mnist.sample()).arch(Arch.SIMPLE_CNN).build();
 * learn.fitOneCycle(5, 0.06, 0.01);
 * double test = learn.test().metrics().get("accuracy");   // once, at the end
 *
 * ImageFolder pets = ImageFolder.load(Path.of("pets"), new ImageFolder.Options(64, 3, 0.2, false));
 * VisionLearner.of(pets).arch(Arch.STRIDE2).build().fitOneCycle(5, 1e-2, 0.01);
 * }</pre>
 * It takes the data's validation set (split off MNIST's training images; a folder's valid/ or
 * a random share: every choice is made on it), batches, builds the network for the data's image
 * shape and classes in the fastest build of the architecture unless told otherwise, and wraps it
 * in a {@link Learner} with cross-entropy and accuracy. The test images are read only by {@link #test}.
 */
public final class VisionLearner {

    private final ImageData data;
    private final VisionModel model;
    private final Learner learner;
    private final int batchSize;

    private VisionLearner(ImageData data, VisionModel model, Learner learner, int batchSize) {
        this.data = data;
        this.model = model;
        this.learner = learner;
        this.batchSize = batchSize;
    }

    public static Builder of(ImageData data) {
        return new Builder(data);
    }

    /** fastai's {@code fit_one_cycle(epochs, lr_max, wd=wd)}. */
    public FitResult fitOneCycle(int epochs, double lrMax, double wd) {
        return learner.fitOneCycle(epochs, lrMax, wd);
    }

    /** Whether the data has test images. */
    public boolean hasTest() {
        return data.testSize() > 0;
    }

    /** Loss and accuracy on the test images: the number to report, once, after every choice was made. */
    public Validation test() {
        return learner.validate(data.testLoader(batchSize));
    }

    public ImageData data() {
        return data;
    }

    public VisionModel model() {
        return model;
    }

    public Learner learner() {
        return learner;
    }

    /**
     * A validation image with the model's answer.
     *
     * @param image     the normalised image, channels x size x size values, [channel][y][x]
     * @param predicted the predicted class (index into the model's classes)
     * @param actual    the label
     * @param p         the predicted class's probability
     */
    public record Result(float[] image, int predicted, int actual, double p) {
    }

    /** fastai's {@code show_results}: the first {@code n} validation images with prediction and label. */
    public List<Result> showResults(int n) {
        var it = learner.data().valid();
        it.reset();
        MultiDataSet b = it.next();
        it.reset();
        INDArray x = b.getFeatures(0);
        INDArray probs = model.probabilities(x);
        INDArray labels = b.getLabels(0);
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, x.size(0)); i++) {
            float[] img = x.get(NDArrayIndex.point(i)).castTo(DataType.FLOAT)
                    .dup('c').data().asFloat();
            int pred = probs.getRow(i).argMax().getInt(0);
            out.add(new Result(img, pred, labels.getRow(i).argMax().getInt(0), probs.getDouble(i, pred)));
        }
        return out;
    }

    /** Options of {@link VisionLearner}, with the lesson's defaults. */
    public static final class Builder {
        private final ImageData data;
        private Arch arch = Arch.SIMPLE_CNN;
        private Build build;
        private ArchOptions options = ArchOptions.defaults(42);
        private int batchSize = 512;
        private long seed = 42;
        private int subset;
        private int shift;
        private Integer validSize;
        private boolean fitBatch;

        private Builder(ImageData data) {
            this.data = data;
        }

        public Builder arch(Arch arch) {
            this.arch = arch;
            return this;
        }

        /** stock, onednn or scratch (default: the fastest the architecture has). */
        public Builder build(Build build) {
            this.build = build;
            return this;
        }

        public Builder options(ArchOptions options) {
            this.options = options;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Train on only the first {@code n} training images (0: all). */
        public Builder subset(int n) {
            this.subset = n;
            return this;
        }

        /** Move training images by up to {@code pixels} at random (augmentation). */
        public Builder shift(int pixels) {
            this.shift = pixels;
            return this;
        }

        /** MNIST: validation images taken from the training images (default: a sixth, 10,000 of MNIST's 60,000). */
        public Builder validSize(int n) {
            this.validSize = n;
            return this;
        }

        /**
         * Sizes the batch to the data when it was not asked for: a training set too small for
         * {@link #MIN_STEPS} steps an epoch at the batch size gets the largest power of two that
         * gives them (at least {@link #MIN_BATCH}), as tabular sizes its batch to the table. One-cycle
         * needs the steps: the 1,000-digit sample at 512 gets 2 an epoch and learns nothing.
         */
        public Builder fitBatchToData(boolean fit) {
            this.fitBatch = fit;
            return this;
        }

        /** The build that will be used. */
        public Build resolvedBuild() {
            return build == null ? Build.fastest(arch) : build;
        }

        public VisionLearner build() {
            Build b = resolvedBuild();
            DataLoaders loaders = data.loaders(batchSize, seed, subset, shift, validSize);
            int bs = batchSize;
            if (fitBatch && loaders.trainSize() >= 0) {
                bs = batchSizeFor((int) loaders.trainSize(), batchSize);
                if (bs != batchSize) {
                    loaders = data.loaders(bs, seed, subset, shift, validSize);
                }
            }
            VisionModel model = VisionModel.create(arch, b, options, data.input().withValidSize(validSize));
            Learner learner = new Learner(model.model(), loaders, model.loss(), List.of(Metrics.accuracy()));
            return new VisionLearner(data, model, learner, bs);
        }
    }

    /** Steps an epoch a batch size given by {@link Builder#fitBatchToData} leaves at least. */
    public static final int MIN_STEPS = 16;
    /** The smallest batch {@link Builder#fitBatchToData} gives. */
    public static final int MIN_BATCH = 8;

    /** The batch size for {@code trainImages} when {@code asked} was a default (see {@link Builder#fitBatchToData}). */
    public static int batchSizeFor(int trainImages, int asked) {
        if (trainImages / asked >= MIN_STEPS) {
            return asked;
        }
        return Math.min(asked, Math.max(MIN_BATCH, Integer.highestOneBit(Math.max(1, trainImages / MIN_STEPS))));
    }

    /** The batch size the training batches have (the one asked, or the one sized to the data). */
    public int batchSize() {
        return batchSize;
    }
}

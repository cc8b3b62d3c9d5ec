package io.github.fastdl4j.collab;

import io.github.fastdl4j.collab.data.MetaFeatures;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.Bpr;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.collab.model.CollabSpec;
import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.Metrics;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * fastai's {@code collab_learner} in one line:
 * <pre>{@code
 * CollabLearner learn = CollabLearner.of(ratings).nFactors(50).yRange(0, 5.5).useNn(false).build();
 * learn.fitOneCycle(5, 5e-3, 0.1);
 * }</pre>
 * It splits the ratings (random 80/20 with a seed), batches them (64), builds the model and wraps
 * it in a {@link Learner} with MSE loss and the mse metric.
 */
public final class CollabLearner {

    private final CollabModel model;
    private final Learner learner;
    private final Split split;
    private final Ratings ratings;

    private CollabLearner(CollabModel model, Learner learner, Split split, Ratings ratings) {
        this.model = model;
        this.learner = learner;
        this.split = split;
        this.ratings = ratings;
    }

    /** Starts the one-liner for these ratings. */
    public static Builder of(Ratings ratings) {
        return new Builder(ratings);
    }

    /** fastai's {@code fit_one_cycle(epochs, lr_max, wd=wd)}. */
    public FitResult fitOneCycle(int epochs, double lrMax, double wd) {
        return learner.fitOneCycle(epochs, lrMax, wd);
    }

    public CollabModel model() {
        return model;
    }

    public Learner learner() {
        return learner;
    }

    /** The rows of the ratings used for training and validation. */
    public Split split() {
        return split;
    }

    /**
     * A row of {@link #showResults}: a validation rating and the model's prediction.
     *
     * @param user      user id as in the data
     * @param movie     movie title (or id when there are no titles)
     * @param actual    the rating
     * @param predicted the model's prediction
     */
    public record Result(String user, String movie, double actual, double predicted) {
    }

    /** fastai's {@code learn.show_results()}: {@code n} validation ratings (seeded sample) with the model's predictions. */
    public List<Result> showResults(int n, long seed) {
        int[] valid = split.valid().clone();
        Splits.shuffle(valid, new Random(seed));
        int k = Math.min(n, valid.length);
        Ratings r = ratings;
        int[] u = new int[k];
        int[] m = new int[k];
        for (int i = 0; i < k; i++) {
            u[i] = r.user()[valid[i]];
            m[i] = r.movie()[valid[i]];
        }
        float[] p = model.predict(u, m);
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(new Result(r.userVocab().id(u[i]), model.title(m[i]), r.rating()[valid[i]], p[i]));
        }
        return out;
    }

    /** Options of {@link CollabLearner}, with fastai's defaults. */
    public static final class Builder {
        private final Ratings ratings;
        private CollabKind kind = CollabKind.DOT;
        private int nFactors = 50;
        private double low = 0;
        private double high = 5.5;
        private int[] layers;
        private double validPct = 0.2;
        private long seed = 42;
        private int batchSize = 64;
        private AdamW.Mode adam; // null: the model kind's default
        private Split split;

        private Builder(Ratings ratings) {
            this.ratings = ratings;
            this.low = ratings.yRange()[0]; // fastai's y_range for this scale: (0, 5.5) for 1..5 stars
            this.high = ratings.yRange()[1];
        }

        /** Latent factors of the dot product (default 50). */
        public Builder nFactors(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("factors must be >= 1, got " + n);
            }
            this.nFactors = n;
            return this;
        }

        /** Output range (default: from the ratings' scale, {@link Ratings#yRange()}: 0..5.5 for 1..5 stars). */
        public Builder yRange(double low, double high) {
            if (!(high > low)) {
                throw new IllegalArgumentException("y range needs high > low");
            }
            this.low = low;
            this.high = high;
            return this;
        }

        /** fastai's use_nn: true gives the batchnorm EmbeddingNN (nn-bn), false the dot product. */
        public Builder useNn(boolean useNn) {
            this.kind = useNn ? CollabKind.NN_BN : CollabKind.DOT;
            return this;
        }

        /** Any of the five models. */
        public Builder model(CollabKind kind) {
            this.kind = kind;
            return this;
        }

        /** Hidden layer sizes (nn: first used, default 100; nn-bn: default 100, 50; hybrid: first, default 100). */
        public Builder layers(int... layers) {
            this.layers = layers.clone();
            return this;
        }

        /** Train on {@code split.train()} and validate on {@code split.valid()} (rows of the ratings), e.g. a protocol's fold. */
        public Builder split(Split split) {
            this.split = split;
            return this;
        }

        public Builder validPct(double validPct) {
            this.validPct = validPct;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * DENSE (fastai's) or LAZY: only the batch's rows of the dot and BPR models' tables are
         * updated. Default: {@link CollabKind#defaultAdam()} (LAZY for dot, dot-linear and bpr).
         */
        public Builder adam(AdamW.Mode adam) {
            this.adam = adam;
            return this;
        }

        public CollabLearner build() {
            int[] hidden = layers != null ? layers : kind == CollabKind.NN_BN ? new int[]{100, 50} : new int[]{100};
            CollabSpec spec = new CollabSpec(kind.cliName(), ratings.userVocab().size(), ratings.movieVocab().size(), nFactors,
                    low, high, Arrays.stream(hidden).boxed().toList(), seed);
            Split split = this.split != null ? this.split : Splits.random(ratings.size(), validPct, seed);
            if (split.train().length == 0 || split.valid().length == 0) {
                throw new BadInputException(ratings.source() + ": " + ratings.size()
                        + " ratings are too few for a training and a validation set (" + split.train().length + " and "
                        + split.valid().length + ")");
            }
            CollabModel model = CollabModel.create(spec, ratings, adam != null ? adam : kind.defaultAdam(), split.train());
            DataLoaders data = new DataLoaders(loader(split.train(), model.meta(), true),
                    kind.implicit() ? negatives(split, model) : loader(split.valid(), model.meta(), false));
            Learner learner = kind.implicit()
                    // ranking: BPR's loss on (positive, negative) pairs and the share of pairs ordered right
                    ? new Learner(model.trainable(), data, Bpr.loss(), List.of(Metrics.metric("auc",
                            (p, t) -> p.gt(0).castTo(DataType.DOUBLE).meanNumber().doubleValue())))
                    : new Learner(model.trainable(), data, Losses.mse(), List.of(Metrics.mse()));
            return new CollabLearner(model, learner, split, ratings);
        }

        /**
         * Validation for an implicit model: each held-out interaction with one movie the user did
         * not interact with in training, drawn once (seeded), so that every epoch is measured on
         * the same pairs.
         */
        private ArrayDataLoader negatives(Split split, CollabModel model) {
            Set<Long> trained = new HashSet<>();
            for (int row : split.train()) {
                trained.add((long) ratings.user()[row] * ratings.movieVocab().size() + ratings.movie()[row]);
            }
            SplittableRandom rng = new SplittableRandom(seed);
            int n = split.valid().length;
            float[] u = new float[n];
            float[] m = new float[n];
            float[] j = new float[n];
            for (int i = 0; i < n; i++) {
                int row = split.valid()[i];
                u[i] = ratings.user()[row];
                m[i] = ratings.movie()[row];
                int neg;
                int tries = 0;
                do {
                    neg = 1 + rng.nextInt(ratings.movieVocab().size() - 1);
                } while (trained.contains((long) ratings.user()[row] * ratings.movieVocab().size() + neg) && ++tries < 50);
                j[i] = neg;
            }
            return ArrayDataLoader.builder().input(u, 1).input(m, 1).input(j, 1).label(new float[n], 1)
                    .batchSize(Math.max(batchSize, 1024)).build();
        }

        private ArrayDataLoader loader(int[] rows, MetaFeatures meta, boolean train) {
            int n = rows.length;
            float[] u = new float[n];
            float[] m = new float[n];
            float[] y = new float[n];
            int[] ui = new int[n];
            int[] mi = new int[n];
            for (int i = 0; i < n; i++) {
                ui[i] = ratings.user()[rows[i]];
                mi[i] = ratings.movie()[rows[i]];
                u[i] = ui[i];
                m[i] = mi[i];
                y[i] = ratings.rating()[rows[i]];
            }
            ArrayDataLoader.Builder b = ArrayDataLoader.builder().input(u, 1).input(m, 1);
            if (meta != null) {
                b.input(meta.users(ui), meta.userWidth()).input(meta.movies(mi), meta.movieWidth());
            }
            b.label(y, 1);
            if (train) {
                b.batchSize(batchSize).shuffle(seed);
            } else {
                b.batchSize(Math.max(batchSize, 1024)); // validation: large batches, fixed order
            }
            return b.build();
        }
    }
}

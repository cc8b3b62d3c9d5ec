package io.github.fastdl4j.tabular;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.model.TabularModel;
import io.github.fastdl4j.tabular.model.TabularPredictor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * fastai's {@code tabular_learner} in one line:
 * <pre>{@code
 * TabularLearner learn = TabularLearner.of(frame).cat(cats).cont(conts).layers(1000, 500).build();
 * learn.fitOneCycle(5, 1e-3, 0.2);
 * }</pre>
 * It holds out the last six weeks by date for validation (the competition's horizon), fits the
 * preprocessing on the training rows, models log(y) with sigmoid_range over
 * {@code (0, 1.2 * log(max y))}, and trains with MSE loss and the exp_rmspe metric.
 */
public final class TabularLearner {

    private final TabularPredictor predictor;
    private final Learner learner;
    private final int[] trainRows;
    private final int[] validRows;
    private final TabularData train;
    private final TabularData valid;

    private TabularLearner(TabularPredictor predictor, Learner learner, int[] trainRows, int[] validRows,
                           TabularData train, TabularData valid) {
        this.predictor = predictor;
        this.learner = learner;
        this.trainRows = trainRows;
        this.validRows = validRows;
        this.train = train;
        this.valid = valid;
    }

    public static Builder of(TabularFrame frame) {
        return new Builder(frame);
    }

    /** fastai's {@code fit_one_cycle(epochs, lr_max, wd=wd)}. */
    public FitResult fitOneCycle(int epochs, double lrMax, double wd) {
        return learner.fitOneCycle(epochs, lrMax, wd);
    }

    public Learner learner() {
        return learner;
    }

    /** The trained model with its preprocessing, ready to save or predict. */
    public TabularPredictor predictor() {
        return predictor;
    }

    /** Indices (into the frame given to {@link #of}) of the training rows. */
    public int[] trainRows() {
        return trainRows.clone();
    }

    /** Indices of the validation rows (the last weeks by date). */
    public int[] validRows() {
        return validRows.clone();
    }

    public TabularData trainData() {
        return train;
    }

    public TabularData validData() {
        return valid;
    }

    /**
     * fastai's {@code show_results}: {@code n} validation rows (a seeded sample) as raw values of
     * {@code columns} of {@code frame} (the frame given to {@link #of}), with the target and the
     * prediction on the target's own scale.
     */
    public List<java.util.Map<String, String>> showResults(TabularFrame frame, List<String> columns, String target, int n,
                                                           long seed) {
        int[] order = java.util.stream.IntStream.range(0, validRows.length).toArray();
        io.github.fastdl4j.common.data.Splits.shuffle(order, new java.util.Random(seed));
        double[] pred = predictor.predictModelScale(valid);
        double[] actual = frame.numbers(target);
        List<java.util.Map<String, String>> out = new java.util.ArrayList<>();
        for (int k = 0; k < Math.min(n, order.length); k++) {
            int row = validRows[order[k]];
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String c : columns) {
                m.put(c, frame.column(c).key(row));
            }
            double p = pred[order[k]];
            m.put(target, TabularFrame.keyOf(actual[row]));
            m.put(target + "_pred", String.format(java.util.Locale.ROOT, "%.1f", predictor.pipeline().logY() ? Math.exp(p) : p));
            out.add(m);
        }
        return out;
    }

    /** Mini-batches of processed rows: one input per categorical column, then {@code cont}; label the target. */
    public static ArrayDataLoader loader(TabularData d, int batchSize, Long shuffleSeed) {
        ArrayDataLoader.Builder b = ArrayDataLoader.builder().batchSize(batchSize);
        for (int j = 0; j < d.nCat(); j++) {
            b.input(d.catColumn(j), 1);
        }
        if (d.nCont() > 0) {
            b.input(d.conts(), d.nCont());
        }
        b.label(d.y(), 1);
        if (shuffleSeed != null) {
            b.shuffle(shuffleSeed);
        }
        return b.build();
    }

    /** Options with fastai's Rossmann defaults. */
    public static final class Builder {
        private final TabularFrame frame;
        private List<String> cats = List.of();
        private List<String> conts = List.of();
        private String y = "Sales";
        private boolean logY = true;
        private String dateColumn = "Date";
        private int validDays = 42;
        private int[] layers = {1000, 500};
        private double[] ps = {0.001, 0.01};
        private double embDrop = 0.04;
        private boolean oneHot;
        private boolean dl4jLayers;
        private int batchSize = 512;
        private long seed = 42;

        private Builder(TabularFrame frame) {
            this.frame = frame;
        }

        public Builder cat(List<String> names) {
            this.cats = List.copyOf(names);
            return this;
        }

        public Builder cont(List<String> names) {
            this.conts = List.copyOf(names);
            return this;
        }

        /** The target column and whether to model its log (default Sales, log). */
        public Builder y(String name, boolean log) {
            this.y = name;
            this.logY = log;
            return this;
        }

        /** Validation = rows within the last {@code days} days of {@code dateColumn} (default Date, 42). */
        public Builder validLast(String dateColumn, int days) {
            this.dateColumn = dateColumn;
            this.validDays = days;
            return this;
        }

        public Builder layers(int... sizes) {
            this.layers = sizes.clone();
            if (ps.length != sizes.length) {
                ps = new double[sizes.length];
            }
            return this;
        }

        public Builder ps(double... p) {
            this.ps = p.clone();
            return this;
        }

        public Builder embDrop(double p) {
            this.embDrop = p;
            return this;
        }

        /** One-hot codes instead of learned embeddings (for comparison). */
        public Builder oneHot(boolean oneHot) {
            this.oneHot = oneHot;
            return this;
        }

        /** DL4J's layers instead of the from-scratch {@link io.github.fastdl4j.tabular.model.TabularNet}. */
        public Builder dl4jLayers(boolean on) {
            this.dl4jLayers = on;
            return this;
        }

        public Builder batchSize(int bs) {
            this.batchSize = bs;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public TabularLearner build() {
            int[][] split = splitByDate(frame, dateColumn, validDays);
            TabularFrame trainFrame = frame.rows(split[0]);
            TabularPipeline pipeline = TabularPipeline.fit(trainFrame, cats, conts, y, logY);
            TabularData train = pipeline.transform(trainFrame);
            TabularData valid = pipeline.transform(frame.rows(split[1]));
            double maxY = 0;
            for (float v : train.y()) {
                maxY = Math.max(maxY, v);
            }
            // fastai's Rossmann lesson: y_range = (0, max_log_y * 1.2)
            TabularModel.Spec spec = TabularModel.builder(pipeline.allCats(), pipeline.cardinalities(), conts.size())
                    .layers(layers).ps(ps).embDrop(embDrop).yRange(0, 1.2 * maxY).oneHot(oneHot).seed(seed).dl4jLayers(dl4jLayers).spec();
            TabularPredictor predictor = TabularPredictor.create(pipeline, spec);
            DataLoaders data = new DataLoaders(loader(train, batchSize, seed), loader(valid, 4096, null));
            Learner learner = new Learner(predictor.trainable(), data, Losses.mse(), List.of(Metrics.expRmspe()));
            return new TabularLearner(predictor, learner, split[0], split[1], train, valid);
        }
    }

    /** {train rows, valid rows}: valid = the last {@code days} days of the date column. */
    public static int[][] splitByDate(TabularFrame f, String dateColumn, int days) {
        double[] d = f.numbers(dateColumn);
        double max = Arrays.stream(d).max().orElseThrow(() -> new IllegalArgumentException("no rows"));
        double cutoff = max - days;
        List<Integer> tr = new ArrayList<>(), va = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            (d[i] > cutoff ? va : tr).add(i);
        }
        if (tr.isEmpty() || va.isEmpty()) {
            throw new IllegalArgumentException("the last " + days + " days leave " + tr.size() + " training and "
                    + va.size() + " validation rows");
        }
        return new int[][]{tr.stream().mapToInt(Integer::intValue).toArray(), va.stream().mapToInt(Integer::intValue).toArray()};
    }
}

package io.github.fastdl4j.tabular;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Metric;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.tabular.data.RossmannFeatures;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.model.TabularGraph;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import io.github.fastdl4j.tabular.model.TabularSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * fastai's {@code tabular_learner} in one line, for any table:
 * <pre>{@code
 * TabularLearner learn = TabularLearner.of(frame).cat(cats).cont(conts).y("salary").classify().build();
 * learn.fitOneCycle(5, 1e-2, 0.01);
 * }</pre>
 * It splits off validation rows (a seeded 20% by default, or a column, or the last days by date),
 * fits the preprocessing on the training rows only, and trains a regression (MSE loss, RMSE; a text
 * target or {@link Builder#classify()} makes a classifier: softmax cross-entropy, accuracy and
 * error rate). {@link #rossmann} is the lesson's preset: log sales, the last six weeks, layers
 * 1000 and 500, y range {@code (0, 1.2 * max log y)}, exp_rmspe.
 */
public final class TabularLearner {

    private final TabularPredictor predictor;
    private final Learner learner;
    private final int[] trainRows;
    private final int[] validRows;
    private final TabularData train;
    private final TabularData valid;
    private final int droppedRows;
    private final int batchSize;

    private TabularLearner(TabularPredictor predictor, Learner learner, Split split, TabularData train, TabularData valid,
                           int droppedRows, int batchSize) {
        this.batchSize = batchSize;
        this.predictor = predictor;
        this.learner = learner;
        this.trainRows = split.train();
        this.validRows = split.valid();
        this.train = train;
        this.valid = valid;
        this.droppedRows = droppedRows;
    }

    /** A learner over any frame, with fastai's {@code tabular_learner} defaults (layers 200 and 100, a random 20% valid). */
    public static Builder of(TabularFrame frame) {
        return new Builder(frame);
    }

    /**
     * The Rossmann lesson's preset over a frame with {@link RossmannFeatures}: its columns, log
     * sales, validation = the last 42 days, layers 1000 and 500 with dropout 0.001 and 0.01,
     * embedding dropout 0.04, y range {@code (0, 1.2 * max log sales)}, exp_rmspe.
     */
    public static Builder rossmann(TabularFrame frame) {
        Builder b = new Builder(frame).cat(RossmannFeatures.CATEGORICAL).cont(RossmannFeatures.CONTINUOUS).y("Sales")
                .logY(true).validLast("Date", 42).layers(1000, 500).ps(0.001, 0.01).embDrop(0.04).batchSize(512);
        b.preset = TabularPipeline.ROSSMANN;
        return b;
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

    /** Indices of the validation rows. */
    public int[] validRows() {
        return validRows.clone();
    }

    /** Rows per training step. */
    public int batchSize() {
        return batchSize;
    }

    /** Rows left out because their target is missing (or, with a log target, not positive). */
    public int droppedRows() {
        return droppedRows;
    }

    public TabularData trainData() {
        return train;
    }

    public TabularData validData() {
        return valid;
    }

    /** Whether this learner classifies. */
    public boolean classifier() {
        return predictor.spec().classifier();
    }

    /**
     * fastai's {@code show_results}: {@code n} validation rows (a seeded sample) as raw values of
     * {@code columns} of {@code frame} (the frame given to {@link #of}), with the target and the
     * prediction on the target's own scale (a classifier: the predicted class and its probability).
     */
    public List<Map<String, String>> showResults(TabularFrame frame, List<String> columns, int n, long seed) {
        String target = predictor.pipeline().yName();
        int[] order = IntStream.range(0, validRows.length).toArray();
        Splits.shuffle(order, new Random(seed));
        int[] pick = Arrays.copyOf(order, Math.min(n, order.length));
        TabularData shown = valid.rows(pick);
        double[][] proba = classifier() ? predictor.probabilities(shown) : null;
        double[] pred = classifier() ? null : predictor.predictModelScale(shown);
        List<Map<String, String>> out = new ArrayList<>();
        for (int k = 0; k < pick.length; k++) {
            int row = validRows[pick[k]];
            Map<String, String> m = new LinkedHashMap<>();
            for (String c : columns) {
                String key = frame.column(c).key(row);
                // a missing category is fastai's #na# (the category the model saw), a missing number NaN
                m.put(c, key != null ? key : predictor.pipeline().catNames().contains(c) ? io.github.fastdl4j.tabular.data.Categorify.NA
                        : "NaN");
            }
            m.put(target, frame.column(target).key(row));
            if (proba != null) {
                int best = argMax(proba[k]);
                m.put(target + "_pred", predictor.classes().get(best));
                m.put("probability", String.format(Locale.ROOT, "%.3f", proba[k][best]));
            } else {
                double p = predictor.pipeline().logY() ? Math.exp(pred[k]) : pred[k];
                m.put(target + "_pred", String.format(Locale.ROOT, Math.abs(p) >= 100 ? "%.1f" : "%.4g", p));
            }
            out.add(m);
        }
        return out;
    }

    /**
     * The validation numbers on the target's own scale beside the baseline every model must beat:
     * a classifier's accuracy against always answering the training rows' most common class, a
     * regression's RMSE against predicting the training mean (for a log target, the RMSE of
     * exp(prediction) against the raw target).
     */
    public Map<String, Object> validationReport() {
        Map<String, Object> m = new LinkedHashMap<>();
        float[] ty = train.y(), vy = valid.y();
        if (classifier()) {
            int k = predictor.classes().size();
            int[] counts = new int[k];
            for (float v : ty) {
                counts[(int) v]++;
            }
            int majority = argMax(Arrays.stream(counts).asDoubleStream().toArray());
            double[][] p = predictor.probabilities(valid);
            int right = 0, base = 0;
            for (int i = 0; i < vy.length; i++) {
                right += argMax(p[i]) == (int) vy[i] ? 1 : 0;
                base += majority == (int) vy[i] ? 1 : 0;
            }
            m.put("accuracy", (double) right / vy.length);
            m.put("error_rate", 1 - (double) right / vy.length);
            m.put("majority_class", predictor.classes().get(majority));
            m.put("majority_class_accuracy", (double) base / vy.length);
        } else {
            boolean log = predictor.pipeline().logY();
            double mean = 0;
            for (float v : ty) {
                mean += (log ? Math.exp(v) : v) / ty.length;
            }
            double[] p = predictor.predictModelScale(valid);
            double se = 0, seBase = 0;
            for (int i = 0; i < vy.length; i++) {
                double actual = log ? Math.exp(vy[i]) : vy[i];
                double pred = log ? Math.exp(p[i]) : p[i];
                se += (pred - actual) * (pred - actual);
                seBase += (mean - actual) * (mean - actual);
            }
            m.put("rmse", Math.sqrt(se / vy.length));
            m.put("train_mean_rmse", Math.sqrt(seBase / vy.length));
        }
        m.put("train_rows", train.rows());
        m.put("valid_rows", valid.rows());
        m.put("dropped_rows", droppedRows);
        return m;
    }

    static int argMax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * Mini-batches of processed rows: one input per categorical column, then {@code cont}; the label
     * is the target (a regression) or the one-hot class (a classifier of {@code classes} classes).
     */
    public static ArrayDataLoader loader(TabularData d, int batchSize, Long shuffleSeed, int classes) {
        ArrayDataLoader.Builder b = ArrayDataLoader.builder().batchSize(batchSize);
        for (int j = 0; j < d.nCat(); j++) {
            b.input(d.catColumn(j), 1);
        }
        if (d.nCont() > 0) {
            b.input(d.conts(), d.nCont());
        }
        if (classes > 0) {
            float[] oneHot = new float[d.rows() * classes];
            for (int i = 0; i < d.rows(); i++) {
                oneHot[i * classes + (int) d.y()[i]] = 1;
            }
            b.label(oneHot, classes);
        } else {
            b.label(d.y(), 1);
        }
        if (shuffleSeed != null) {
            b.shuffle(shuffleSeed);
        }
        return b.build();
    }

    /**
     * The batch size when none is given: about a hundredth of the training rows as a power of two,
     * 64 (fastai's default) to 1024. A small table still gets dozens of steps an epoch (one-cycle
     * needs them), a large one big batches (each step has a fixed cost).
     */
    public static int defaultBatchSize(int trainRows) {
        int target = Math.max(64, Math.min(1024, trainRows / 100));
        return Integer.highestOneBit(target);
    }

    /** What the model predicts: decided by the target's type unless asked. */
    public enum Task { AUTO, CLASSIFY, REGRESS }

    /** Options with fastai's {@code tabular_learner} defaults. */
    public static final class Builder {
        private final TabularFrame frame;
        private List<String> cats = List.of();
        private List<String> conts = List.of();
        private String y;
        private Task task = Task.AUTO;
        private boolean logY;
        private double[] yRange;
        private List<String> dateParts = List.of();
        private String dateFormat;
        private String dateColumn;
        private int validDays;
        private String validColumn;
        private double validPct = 0.2;
        private int[] layers = {200, 100};
        private double[] ps = {0, 0};
        private double embDrop;
        private boolean oneHot;
        private boolean dl4jLayers;
        private Integer batchSize;
        private long seed = 42;
        private String preset = TabularPipeline.CSV;

        private Builder(TabularFrame frame) {
            this.frame = frame;
        }

        public Builder cat(List<String> names) {
            this.cats = List.copyOf(names);
            return this;
        }

        public Builder cat(String... names) {
            return cat(List.of(names));
        }

        public Builder cont(List<String> names) {
            this.cont(names.toArray(String[]::new));
            return this;
        }

        public Builder cont(String... names) {
            this.conts = List.of(names);
            return this;
        }

        /** The target column. */
        public Builder y(String name) {
            this.y = name;
            return this;
        }

        /** The target column and whether to model its log (sales: so errors are relative). */
        public Builder y(String name, boolean log) {
            return y(name).logY(log);
        }

        /** Model log(y) (a regression of positive values); predictions come back as exp. */
        public Builder logY(boolean log) {
            this.logY = log;
            return this;
        }

        /** A classifier whatever the target's type (numbers become class names: "0", "1", ...). */
        public Builder classify() {
            this.task = Task.CLASSIFY;
            return this;
        }

        /** A regression: the target must be numbers. */
        public Builder regress() {
            this.task = Task.REGRESS;
            return this;
        }

        public Builder task(Task t) {
            this.task = t;
            return this;
        }

        /**
         * The regression's sigmoid_range (on the log scale with {@link #logY}). Default: the training
         * targets' range widened by 10% of its span on each side, so the output starts inside the
         * targets and can reach them (fastai leaves y_range to the user; the Rossmann preset uses
         * {@code (0, 1.2 * max)}).
         */
        public Builder yRange(double low, double high) {
            if (!(high > low)) {
                throw new IllegalArgumentException("y range needs high > low, got " + low + ".." + high);
            }
            this.yRange = new double[]{low, high};
            return this;
        }

        /** fastai's {@code add_datepart} on these date columns (epoch days in the frame, see {@code TabularCsv}). */
        public Builder dateParts(List<String> columns) {
            this.dateParts = List.copyOf(columns);
            return this;
        }

        /** The pattern the table's dates are written in (recorded with the model for prediction; null: ISO). */
        public Builder dateFormat(String pattern) {
            this.dateFormat = pattern;
            return this;
        }

        /** Validation = rows within the last {@code days} days of {@code dateColumn} (epoch days). */
        public Builder validLast(String dateColumn, int days) {
            this.dateColumn = dateColumn;
            this.validDays = days;
            this.validColumn = null;
            return this;
        }

        /** Validation = rows whose {@code column} is true (1, true, yes, y, t, valid), fastai's {@code ColSplitter}. */
        public Builder validColumn(String column) {
            this.validColumn = column;
            this.dateColumn = null;
            return this;
        }

        /** Validation = a seeded random {@code pct} of the rows, fastai's {@code RandomSplitter} (default 0.2). */
        public Builder validPct(double pct) {
            if (!(pct > 0 && pct < 1)) {
                throw new IllegalArgumentException("valid pct must be in (0, 1), got " + pct);
            }
            this.validPct = pct;
            this.dateColumn = null;
            this.validColumn = null;
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

        /** Rows per step (default: {@link #defaultBatchSize}; the Rossmann preset 512). */
        public Builder batchSize(int bs) {
            this.batchSize = bs;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether this builder makes a classifier: asked for, or a target of text. */
        public boolean classifies() {
            if (y == null) {
                throw new IllegalArgumentException("no target column: call y(name)");
            }
            return task == Task.CLASSIFY || task == Task.AUTO && frame.column(y) instanceof TabularFrame.Text;
        }

        public TabularLearner build() {
            if (y == null) {
                throw new IllegalArgumentException("no target column: call y(name)");
            }
            if (cats.isEmpty() && conts.isEmpty()) {
                throw new IllegalArgumentException("no input columns: give categorical and/or continuous ones");
            }
            if (ps.length != layers.length) {
                throw new IllegalArgumentException("one dropout probability per layer: " + layers.length + " layers, "
                        + ps.length + " probabilities");
            }
            boolean classify = classifies();
            if (classify && logY) {
                throw new IllegalArgumentException("a log target is for a regression, not a classifier");
            }
            List<String> classes = classify ? classes(frame.column(y)) : List.of();
            int[] labelled = labelledRows(classify);
            Split split = split(labelled);
            TabularFrame trainFrame = frame.rows(split.train());
            TabularPipeline pipeline = TabularPipeline.fit(trainFrame, cats, conts, y, logY, classes, dateParts, dateFormat,
                    preset);
            TabularData train = pipeline.transform(trainFrame);
            TabularData valid = pipeline.transform(frame.rows(split.valid()));
            TabularGraph.Builder mb = TabularGraph.builder(pipeline.allCats(), pipeline.cardinalities(), conts.size())
                    .layers(layers).ps(ps).embDrop(embDrop).oneHot(oneHot).seed(seed).dl4jLayers(dl4jLayers);
            if (classify) {
                mb.classes(classes);
            } else {
                double[] range = yRange != null ? yRange : defaultYRange(train.y());
                mb.yRange(range[0], range[1]);
            }
            TabularSpec spec = mb.spec();
            TabularPredictor predictor = TabularPredictor.create(pipeline, spec);
            int nClasses = classes.size();
            int bs = batchSize != null ? batchSize : defaultBatchSize(train.rows());
            DataLoaders data = new DataLoaders(loader(train, bs, seed, nClasses), loader(valid, 4096, null, nClasses));
            Learner learner = new Learner(predictor.trainable(), data, predictor.loss(), metrics(classify));
            return new TabularLearner(predictor, learner, split, train, valid, frame.rows() - labelled.length, bs);
        }

        private List<Metric> metrics(boolean classify) {
            if (classify) {
                return List.of(Metrics.accuracy(), Metrics.errorRate());
            }
            if (logY && TabularPipeline.ROSSMANN.equals(preset)) {
                return List.of(Metrics.expRmspe());
            }
            return logY ? List.of(Metrics.metric("rmse_log", (p, t) -> Math.sqrt(Metrics.mse().compute(p, t))),
                    Metrics.expRmspe()) : List.of(Metrics.rmse());
        }

        /** y_range: Rossmann's (0, 1.2 * max), else the targets' range widened by 10% of the span each side. */
        private double[] defaultYRange(float[] t) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (float v : t) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (TabularPipeline.ROSSMANN.equals(preset)) {
                return new double[]{0, 1.2 * hi}; // fastai's Rossmann lesson: y_range = (0, max_log_y * 1.2)
            }
            double span = Math.max(hi - lo, Math.max(1e-3, Math.abs(hi) * 1e-3));
            return new double[]{lo - 0.1 * span, hi + 0.1 * span};
        }

        /** The sorted distinct values of a class column (numerically for numbers), fastai's {@code Categorize} vocabulary. */
        private static List<String> classes(TabularFrame.Column c) {
            TreeSet<String> set = new TreeSet<>(c instanceof TabularFrame.Numbers
                    ? java.util.Comparator.comparingDouble(Double::parseDouble) : java.util.Comparator.naturalOrder());
            for (int i = 0; i < c.size(); i++) {
                String k = c.key(i);
                if (k != null) {
                    set.add(k);
                }
            }
            if (set.size() < 2) {
                throw new IllegalArgumentException("a classifier needs at least two classes in the target, found " + set);
            }
            return List.copyOf(set);
        }

        /** The rows with a usable target: present, and positive for a log target. */
        private int[] labelledRows(boolean classify) {
            TabularFrame.Column c = frame.column(y);
            if (!classify && !(c instanceof TabularFrame.Numbers)) {
                throw new IllegalArgumentException("the target " + y + " is text: a regression needs numbers (or classify)");
            }
            return IntStream.range(0, frame.rows()).filter(i -> {
                if (classify) {
                    return c.key(i) != null;
                }
                double v = ((TabularFrame.Numbers) c).values()[i];
                return !Double.isNaN(v) && (!logY || v > 0);
            }).toArray();
        }

        /** Splits the labelled rows (indices into the frame). */
        private Split split(int[] rows) {
            if (rows.length < 2) {
                throw new IllegalArgumentException("need at least 2 rows with a target, found " + rows.length);
            }
            Split s;
            if (dateColumn != null) {
                s = splitByDate(frame, dateColumn, validDays, rows);
            } else if (validColumn != null) {
                s = splitByColumn(frame, validColumn, rows);
            } else {
                Split idx = Splits.random(rows.length, validPct, seed);
                s = new Split(pick(rows, idx.train()), pick(rows, idx.valid()));
            }
            if (s.train().length == 0 || s.valid().length == 0) {
                throw new IllegalArgumentException("the split leaves " + s.train().length + " training and "
                        + s.valid().length + " validation rows");
            }
            return s;
        }

        private static int[] pick(int[] rows, int[] idx) {
            int[] out = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                out[i] = rows[idx[i]];
            }
            return out;
        }
    }

    /** Every row's split: valid = the last {@code days} days of the date column (epoch days). */
    public static Split splitByDate(TabularFrame f, String dateColumn, int days) {
        return splitByDate(f, dateColumn, days, IntStream.range(0, f.rows()).toArray());
    }

    /** Split of {@code rows} by time, {@link Splits#byTime}: valid = within the last {@code days} days of the date column. */
    static Split splitByDate(TabularFrame f, String dateColumn, int days, int[] rows) {
        double[] d = f.numbers(dateColumn);
        long[] times = new long[rows.length];
        long max = Long.MIN_VALUE;
        for (int i = 0; i < rows.length; i++) {
            double v = d[rows[i]];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("the date column " + dateColumn + " has missing dates: it cannot split by time");
            }
            times[i] = (long) v;
            max = Math.max(max, times[i]);
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
        Split s;
        try {
            s = Splits.byTime(times, max - days + 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the last " + days + " days of " + dateColumn + " leave no training or no "
                    + "validation rows");
        }
        return new Split(Builder.pick(rows, s.train()), Builder.pick(rows, s.valid()));
    }

    /** Split of {@code rows} by a column of flags, fastai's {@code ColSplitter}: true values are validation. */
    static Split splitByColumn(TabularFrame f, String column, int[] rows) {
        TabularFrame.Column c = f.column(column);
        List<Integer> tr = new ArrayList<>(), va = new ArrayList<>();
        for (int r : rows) {
            (isTrue(c.key(r), column) ? va : tr).add(r);
        }
        return new Split(tr.stream().mapToInt(Integer::intValue).toArray(), va.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A validation flag: 1/true/yes/y/t/valid are true, 0/false/no/n/f/train and missing are false. */
    static boolean isTrue(String v, String column) {
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "y", "t", "valid" -> true;
            case "0", "false", "no", "n", "f", "train" -> false;
            default -> throw new IllegalArgumentException("the validation column " + column + " holds '" + v
                    + "': expected 1/0, true/false, yes/no or valid/train");
        };
    }
}

package io.github.fastdl4j.tabular;

import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Metric;
import io.github.fastdl4j.common.train.Metrics;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.data.TabularSplits;
import io.github.fastdl4j.tabular.model.TabularGraph;
import io.github.fastdl4j.tabular.model.TabularNet;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import io.github.fastdl4j.tabular.model.TabularSpec;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A {@link TabularLearner}'s options with fastai's {@code tabular_learner} defaults, from {@link
 * TabularLearner#of} or {@link TabularLearner#rossmann}; {@link #build} splits the rows, fits the
 * preprocessing on the training rows and makes the model. Its own file because the options are
 * many and the learner is what a user holds afterwards.
 */
public final class TabularLearnerBuilder {
    private final TabularFrame frame;
    private List<String> cats = List.of();
    private List<String> conts = List.of();
    private String y;
    private TabularLearner.Task task = TabularLearner.Task.AUTO;
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

    TabularLearnerBuilder(TabularFrame frame) {
        this.frame = frame;
    }

    /** The preset recorded with the model (the lesson's data or a user's table). */
    TabularLearnerBuilder preset(String preset) {
        this.preset = preset;
        return this;
    }

    public TabularLearnerBuilder cat(List<String> names) {
        this.cats = List.copyOf(names);
        return this;
    }

    public TabularLearnerBuilder cat(String... names) {
        return cat(List.of(names));
    }

    public TabularLearnerBuilder cont(List<String> names) {
        this.cont(names.toArray(String[]::new));
        return this;
    }

    public TabularLearnerBuilder cont(String... names) {
        this.conts = List.of(names);
        return this;
    }

    /** The target column. */
    public TabularLearnerBuilder y(String name) {
        this.y = name;
        return this;
    }

    /** The target column and whether to model its log (sales: so errors are relative). */
    public TabularLearnerBuilder y(String name, boolean log) {
        return y(name).logY(log);
    }

    /** Model log(y) (a regression of positive values); predictions come back as exp. */
    public TabularLearnerBuilder logY(boolean log) {
        this.logY = log;
        return this;
    }

    /** A classifier whatever the target's type (numbers become class names: "0", "1", ...). */
    public TabularLearnerBuilder classify() {
        this.task = TabularLearner.Task.CLASSIFY;
        return this;
    }

    /** A regression: the target must be numbers. */
    public TabularLearnerBuilder regress() {
        this.task = TabularLearner.Task.REGRESS;
        return this;
    }

    public TabularLearnerBuilder task(TabularLearner.Task t) {
        this.task = t;
        return this;
    }

    /**
     * The regression's sigmoid_range (on the log scale with {@link #logY}). Default: the training
     * targets' range widened by 10% of its span on each side, so the output starts inside the
     * targets and can reach them (fastai leaves y_range to the user; the Rossmann preset uses
     * {@code (0, 1.2 * max)}).
     */
    public TabularLearnerBuilder yRange(double low, double high) {
        if (!(high > low)) {
            throw new IllegalArgumentException("y range needs high > low, got " + low + ".." + high);
        }
        this.yRange = new double[]{low, high};
        return this;
    }

    /** fastai's {@code add_datepart} on these date columns (epoch days in the frame, see {@code TabularCsv}). */
    public TabularLearnerBuilder dateParts(List<String> columns) {
        this.dateParts = List.copyOf(columns);
        return this;
    }

    /** The pattern the table's dates are written in (recorded with the model for prediction; null: ISO). */
    public TabularLearnerBuilder dateFormat(String pattern) {
        this.dateFormat = pattern;
        return this;
    }

    /** Validation = rows within the last {@code days} days of {@code dateColumn} (epoch days). */
    public TabularLearnerBuilder validLast(String dateColumn, int days) {
        this.dateColumn = dateColumn;
        this.validDays = days;
        this.validColumn = null;
        return this;
    }

    /** Validation = rows whose {@code column} is true (1, true, yes, y, t, valid), fastai's {@code ColSplitter}. */
    public TabularLearnerBuilder validColumn(String column) {
        this.validColumn = column;
        this.dateColumn = null;
        return this;
    }

    /** Validation = a seeded random {@code pct} of the rows, fastai's {@code RandomSplitter} (default 0.2). */
    public TabularLearnerBuilder validPct(double pct) {
        if (!(pct > 0 && pct < 1)) {
            throw new IllegalArgumentException("valid pct must be in (0, 1), got " + pct);
        }
        this.validPct = pct;
        this.dateColumn = null;
        this.validColumn = null;
        return this;
    }

    public TabularLearnerBuilder layers(int... sizes) {
        this.layers = sizes.clone();
        if (ps.length != sizes.length) {
            ps = new double[sizes.length];
        }
        return this;
    }

    public TabularLearnerBuilder ps(double... p) {
        this.ps = p.clone();
        return this;
    }

    public TabularLearnerBuilder embDrop(double p) {
        this.embDrop = p;
        return this;
    }

    /** One-hot codes instead of learned embeddings (for comparison). */
    public TabularLearnerBuilder oneHot(boolean oneHot) {
        this.oneHot = oneHot;
        return this;
    }

    /** DL4J's layers instead of the from-scratch {@link TabularNet}. */
    public TabularLearnerBuilder dl4jLayers(boolean on) {
        this.dl4jLayers = on;
        return this;
    }

    /** Rows per step (default: {@link TabularLearner#defaultBatchSize}; the Rossmann preset 512). */
    public TabularLearnerBuilder batchSize(int bs) {
        this.batchSize = bs;
        return this;
    }

    public TabularLearnerBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Whether this builder makes a classifier: asked for, or a target of text. */
    public boolean classifies() {
        if (y == null) {
            throw new IllegalArgumentException("no target column: call y(name)");
        }
        return task == TabularLearner.Task.CLASSIFY || task == TabularLearner.Task.AUTO && frame.column(y) instanceof TabularFrame.Text;
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
        // fitted and processed a column or a block of rows at a time, never a copy of the whole frame's
        // training rows (a million rows of 32 columns are 250 MB), and of only the columns the pipeline reads
        TabularPipeline pipeline = TabularPipeline.fitRows(frame, split.train(), cats, conts, y, logY, classes, dateParts,
                dateFormat, preset);
        Set<String> used = new HashSet<>(pipeline.rawColumns());
        used.add(y);
        TabularFrame inputs = frame.select(used);
        TabularData train = pipeline.transform(inputs, split.train());
        TabularData valid = pipeline.transform(inputs, split.valid());
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
        int bs = batchSize != null ? batchSize : TabularLearner.defaultBatchSize(train.rows());
        DataLoaders data = new DataLoaders(TabularLearner.loader(train, bs, seed, nClasses),
                TabularLearner.loader(valid, 4096, null, nClasses));
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
                ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder());
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

    /** Splits the labelled rows (indices into the frame) as {@link TabularSplits} does. */
    private Split split(int[] rows) {
        if (rows.length < 2) {
            throw new IllegalArgumentException("need at least 2 rows with a target, found " + rows.length);
        }
        Split s;
        if (dateColumn != null) {
            s = TabularSplits.byDate(frame, dateColumn, validDays, rows);
        } else if (validColumn != null) {
            s = TabularSplits.byColumn(frame, validColumn, rows);
        } else {
            s = TabularSplits.random(rows, validPct, seed);
        }
        if (s.train().length == 0 || s.valid().length == 0) {
            throw new IllegalArgumentException("the split leaves " + s.train().length + " training and "
                    + s.valid().length + " validation rows");
        }
        return s;
    }
}

package io.github.fastdl4j.tabular;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.tabular.data.Categorify;
import io.github.fastdl4j.tabular.data.RossmannFeatures;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.interpret.ValidationReport;
import io.github.fastdl4j.tabular.model.TabularPredictor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * fastai's {@code tabular_learner} in one line, for any table:
 * <pre>{@code
 * TabularLearner learn = TabularLearner.of(frame).cat(cats).cont(conts).y("salary").classify().build();
 * learn.fitOneCycle(5, 1e-2, 0.01);
 * }</pre>
 * It splits off validation rows (a seeded 20% by default, or a column, or the last days by date),
 * fits the preprocessing on the training rows only, and trains a regression (MSE loss, RMSE; a text
 * target or {@link TabularLearnerBuilder#classify()} makes a classifier: softmax cross-entropy, accuracy and
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

    TabularLearner(TabularPredictor predictor, Learner learner, Split split, TabularData train, TabularData valid,
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
    public static TabularLearnerBuilder of(TabularFrame frame) {
        return new TabularLearnerBuilder(frame);
    }

    /**
     * The Rossmann lesson's preset over a frame with {@link RossmannFeatures}: its columns, log
     * sales, validation = the last 42 days, layers 1000 and 500 with dropout 0.001 and 0.01,
     * embedding dropout 0.04, y range {@code (0, 1.2 * max log sales)}, exp_rmspe.
     */
    public static TabularLearnerBuilder rossmann(TabularFrame frame) {
        return new TabularLearnerBuilder(frame).cat(RossmannFeatures.CATEGORICAL).cont(RossmannFeatures.CONTINUOUS).y("Sales")
                .logY(true).validLast("Date", 42).layers(1000, 500).ps(0.001, 0.01).embDrop(0.04).batchSize(512)
                .preset(TabularPipeline.ROSSMANN);
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
                m.put(c, key != null ? key : predictor.pipeline().catNames().contains(c) ? Categorify.NA : "NaN");
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
     * The validation numbers on the target's own scale beside the baseline every model must beat
     * (see {@link ValidationReport}), as metrics.json names them.
     */
    public Map<String, Object> validationReport() {
        return validation().asMap();
    }

    /** The report of this learner's validation rows, {@link ValidationReport}. */
    public ValidationReport validation() {
        return ValidationReport.of(predictor, train, valid, droppedRows);
    }

    private static int argMax(double[] v) {
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
}

package io.github.fastdl4j.tabular.interpret;

import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.model.TabularPredictor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a validation run: the validation numbers on the target's own scale beside the
 * baseline every model must beat; a classifier's accuracy against always answering the training
 * rows' most common class, a regression's RMSE against predicting the training mean (for a log
 * target, the RMSE of exp(prediction) against the raw target). Here, with the model's other
 * reports, so that the learner, the CLI and a library user read the same numbers.
 */
public final class ValidationReport {

    private final Map<String, Object> values;

    private ValidationReport(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * {@code predictor}'s numbers on {@code valid}, its baseline fitted on {@code train};
     * {@code droppedRows} (rows without a usable target) is recorded beside the row counts.
     */
    public static ValidationReport of(TabularPredictor predictor, TabularData train, TabularData valid, int droppedRows) {
        Map<String, Object> m = new LinkedHashMap<>();
        float[] ty = train.y(), vy = valid.y();
        if (predictor.spec().classifier()) {
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
        return new ValidationReport(m);
    }

    /** The numbers as metrics.json names them (a fresh map the caller may change). */
    public Map<String, Object> asMap() {
        return new LinkedHashMap<>(values);
    }

    private boolean classifier() {
        return values.containsKey("accuracy");
    }

    /** One line for a person: the score on the validation rows and its baseline. */
    public String line() {
        Map<String, Object> s = values;
        if (classifier()) {
            return String.format(Locale.ROOT, "accuracy %.4f (error rate %.4f) on %,d validation rows; always answering the "
                            + "training rows' most common class (%s): %.4f", (double) s.get("accuracy"), (double) s.get("error_rate"),
                    (int) s.get("valid_rows"), s.get("majority_class"), (double) s.get("majority_class_accuracy"));
        }
        return String.format(Locale.ROOT, "rmse %.4g on %,d validation rows; predicting the training mean: %.4g",
                (double) s.get("rmse"), (int) s.get("valid_rows"), (double) s.get("train_mean_rmse"));
    }

    /** The score and its baseline, short (the end of a training run). */
    public String headline() {
        Map<String, Object> s = values;
        return classifier()
                ? String.format(Locale.ROOT, "accuracy %.4f (majority class %.4f)", (double) s.get("accuracy"),
                (double) s.get("majority_class_accuracy"))
                : String.format(Locale.ROOT, "rmse %.4g (training mean %.4g)", (double) s.get("rmse"),
                (double) s.get("train_mean_rmse"));
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
}

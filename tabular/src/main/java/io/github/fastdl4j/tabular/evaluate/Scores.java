package io.github.fastdl4j.tabular.evaluate;

import io.github.fastdl4j.tabular.TabularLearner;
import io.github.fastdl4j.tabular.data.ShopSales;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.model.Rmspe;
import io.github.fastdl4j.tabular.model.StoreWeekdayMean;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The lesson's scores of a trained learner on its validation rows: exp_rmspe beside the store x
 * weekday mean every model must beat and, for simulated data, the noise floor no model can beat.
 * Here rather than in the CLI so that train and bench (and a library user) score the same way.
 */
public record Scores(double expRmspe, double baseline, Double noiseFloor, int trainRows, int validRows) {

    /** Scores {@code learn}, trained on {@code data}'s frame, on its validation rows. */
    public static Scores of(ShopSales data, TabularLearner learn) {
        TabularFrame f = data.frame();
        int[] valid = learn.validRows();
        double[] sales = f.numbers("Sales");
        double[] actual = Arrays.stream(valid).mapToDouble(i -> sales[i]).toArray();
        double[] pred = learn.predictor().predictModelScale(learn.validData());
        for (int i = 0; i < pred.length; i++) {
            pred[i] = Math.exp(pred[i]);
        }
        double baseline = Rmspe.of(actual, StoreWeekdayMean.fit(f, learn.trainRows()).predict(f, valid));
        Double floor = data.expected() == null ? null : Rmspe.of(actual, data.expected().of(f, valid));
        return new Scores(Rmspe.of(actual, pred), baseline, floor, learn.trainRows().length, valid.length);
    }

    /** The scores as metrics.json and bench's JSON lines name them. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exp_rmspe", expRmspe);
        m.put("store_weekday_mean_rmspe", baseline);
        if (noiseFloor != null) {
            m.put("noise_floor_rmspe", noiseFloor);
            m.put("rmspe_over_noise_floor", expRmspe / noiseFloor);
        }
        m.put("train_rows", trainRows);
        m.put("valid_rows", validRows);
        return m;
    }

    /** One line for a person: the score, its baseline and the noise floor. */
    public String line() {
        return String.format(Locale.ROOT, "exp_rmspe %.4f on %,d validation rows (last 42 days); store x weekday mean %.4f%s",
                expRmspe, validRows, baseline, noiseFloor == null ? ""
                        : String.format(Locale.ROOT, "; noise floor %.4f (ratio %.3f)", noiseFloor, expRmspe / noiseFloor));
    }
}

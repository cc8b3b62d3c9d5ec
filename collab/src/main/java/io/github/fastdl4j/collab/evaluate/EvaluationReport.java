package io.github.fastdl4j.collab.evaluate;

import io.github.fastdl4j.collab.evaluate.Evaluation.FoldResult;
import io.github.fastdl4j.collab.evaluate.Evaluation.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The report of an evaluation, as {@code collab evaluate} and {@code collab-spark evaluate} print
 * it: a table with a row per fold (added as each fold finishes), mean, std and the popularity
 * baseline's rows, the verdict against popularity, and the numbers of the closing JSON line. The
 * commands add only their own settings (the model's options, the backend or master).
 *
 * <p>A model that does not rate (an implicit one: it scores) has no rating error; how that shows
 * is a property of the report ({@link #EvaluationReport(int, String, boolean)}).
 */
public final class EvaluationReport {

    private final int k;
    private final String missing;
    private final boolean rates;
    private final List<FoldResult> results = new ArrayList<>();

    /**
     * A report whose rating errors print as numbers (a model that does not rate shows NaN) and
     * whose popularity row leaves the rating columns blank; collab's table.
     */
    public EvaluationReport(int k) {
        this(k, null, true);
    }

    /**
     * @param k       the length of the ranked lists (the columns' {@code @k})
     * @param missing what a rating error that is not a number prints as (e.g. {@code n/a}), in
     *                the popularity row's rating columns too; null: the number as it is, and
     *                blank columns in the popularity row
     * @param rates   whether the model rates: false puts null for its rating errors in the JSON
     *                line (there is nothing to report), true the numbers
     */
    public EvaluationReport(int k, String missing, boolean rates) {
        this.k = k;
        this.missing = missing;
        this.rates = rates;
    }

    /** The table's header line. */
    public String header() {
        return String.format(Locale.ROOT, "%-34s %7s %7s %7s %7s %7s %7s %8s %7s %7s %8s %7s %9s", "fold", "train", "test",
                "rmse", "mae", "p@" + k, "r@" + k, "ndcg@" + k, "map@" + k, "hit@" + k, "coverage", "secs", "bias rmse");
    }

    /** Records a fold's result and returns its row of the table. */
    public String add(FoldResult x) {
        results.add(x);
        String fold = x.fold().length() > 34 ? x.fold().substring(0, 34) : x.fold();
        Evaluation.RankingResult m = x.model();
        return String.format(Locale.ROOT, "%-34s %7d %7d %7s %7s %7.4f %7.4f %8.4f %7.4f %7.4f %8.4f %7.1f %9s", fold,
                x.trainRatings(), x.testRatings(), num(x.rmse()), num(x.mae()), m.precision(), m.recall(), m.ndcg(), m.map(),
                m.hit(), m.coverage(), x.trainSeconds() + x.rankSeconds(), num(x.biasRmse()));
    }

    /** The folds recorded so far. */
    public List<FoldResult> results() {
        return List.copyOf(results);
    }

    /** The mean and std rows of the model, then the popularity baseline's mean row. */
    public List<String> summaryRows() {
        Summary rmse = Summary.of(results, FoldResult::rmse);
        Summary mae = Summary.of(results, FoldResult::mae);
        Map<String, Summary> rank = ranking();
        Map<String, Summary> pop = popularity();
        String blank = missing == null ? "" : missing;
        return List.of(summaryRow("mean", num(rmse.mean()), num(mae.mean()), rank, Summary::mean),
                summaryRow("std", num(rmse.std()), num(mae.std()), rank, Summary::std),
                summaryRow("popularity baseline (mean)", blank, blank, pop, Summary::mean));
    }

    /** The bias-only baseline's line (mean RMSE over the folds). */
    public String biasBaselineLine() {
        return String.format(Locale.ROOT, "bias-only baseline rmse %.4f (mean + user bias + movie bias)", biasBaselineRmse());
    }

    /** Whether {@code name} beats popularity on mean nDCG, in one line. */
    public String verdict(String name) {
        double model = ranking().get("ndcg").mean();
        double pop = popularity().get("ndcg").mean();
        return String.format(Locale.ROOT, "%s ndcg@%d: %s %.4f vs popularity %.4f", model - pop > 0 ? "beats popularity on"
                : "LOSES to popularity on", k, name, model, pop);
    }

    /**
     * The JSON line's start: the protocol and what was measured ({@code given} only for the cold-start
     * protocols, where it means something).
     */
    public static Map<String, Object> line(Protocol protocol, int given, boolean releaseFiles, String on, String model) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("protocol", protocol.cliName());
        if (protocol == Protocol.COLD_USERS || protocol == Protocol.COLD_MOVIES) {
            line.put("given", given);
        }
        line.put("release_files", releaseFiles);
        line.put("on", on);
        line.put("model", model);
        return line;
    }

    /**
     * Puts the measured numbers into a JSON line: rating errors (null for a model that does not
     * rate), the bias-only baseline, the ranking metrics' means and stds, popularity's means, and
     * the seconds in all.
     */
    public void putMetrics(Map<String, Object> line) {
        Summary rmse = Summary.of(results, FoldResult::rmse);
        Summary mae = Summary.of(results, FoldResult::mae);
        line.put("rmse_mean", rates ? rmse.mean() : null);
        line.put("rmse_std", rates ? rmse.std() : null);
        line.put("mae_mean", rates ? mae.mean() : null);
        line.put("mae_std", rates ? mae.std() : null);
        line.put("bias_baseline_rmse_mean", rates ? biasBaselineRmse() : null);
        ranking().forEach((name, v) -> {
            line.put(name + "_mean", v.mean());
            line.put(name + "_std", v.std());
        });
        popularity().forEach((name, v) -> line.put("popularity_" + name + "_mean", v.mean()));
        line.put("seconds", seconds());
    }

    /** Seconds of fitting and ranking over all folds. */
    public double seconds() {
        return results.stream().mapToDouble(x -> x.trainSeconds() + x.rankSeconds()).sum();
    }

    /** Mean seconds of fitting per fold. */
    public double trainSecondsPerFold() {
        return results.stream().mapToDouble(FoldResult::trainSeconds).average().orElse(0);
    }

    /** Mean seconds of ranking per fold. */
    public double rankSecondsPerFold() {
        return results.stream().mapToDouble(FoldResult::rankSeconds).average().orElse(0);
    }

    private double biasBaselineRmse() {
        return Summary.of(results, FoldResult::biasRmse).mean();
    }

    private Map<String, Summary> ranking() {
        return Evaluation.rankingSummary(results, FoldResult::model);
    }

    private Map<String, Summary> popularity() {
        return Evaluation.rankingSummary(results, FoldResult::popularity);
    }

    private static String summaryRow(String label, String rmse, String mae, Map<String, Summary> rank,
                                     ToDoubleFunction<Summary> pick) {
        return String.format(Locale.ROOT, "%-34s %7s %7s %7s %7s %7.4f %7.4f %8.4f %7.4f %7.4f %8.4f", label, "", "", rmse, mae,
                pick.applyAsDouble(rank.get("precision")), pick.applyAsDouble(rank.get("recall")),
                pick.applyAsDouble(rank.get("ndcg")), pick.applyAsDouble(rank.get("map")), pick.applyAsDouble(rank.get("hit")),
                pick.applyAsDouble(rank.get("coverage")));
    }

    /** A rating error to 4 places; one that is not a number as {@link #missing} says. */
    private String num(double v) {
        return Double.isNaN(v) && missing != null ? missing : String.format(Locale.ROOT, "%.4f", v);
    }
}

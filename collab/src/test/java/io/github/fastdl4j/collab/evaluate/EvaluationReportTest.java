package io.github.fastdl4j.collab.evaluate;

import io.github.fastdl4j.collab.evaluate.Evaluation.FoldResult;
import io.github.fastdl4j.collab.evaluate.Evaluation.RankingResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The evaluate commands' table and JSON numbers, as both print them: exact lines. */
class EvaluationReportTest {

    private static final RankingResult MODEL_1 = new RankingResult(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 900);
    private static final RankingResult MODEL_2 = new RankingResult(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 900);
    private static final RankingResult POP = new RankingResult(0.05, 0.1, 0.2, 0.15, 0.4, 0.02, 900);

    private static FoldResult explicit(String name, double rmse, RankingResult model) {
        return new FoldResult(name, 80000, 20000, rmse, rmse - 0.2, model, POP, 0.95, 10.0, 2.5);
    }

    private static FoldResult implicit(String name, RankingResult model) {
        return new FoldResult(name, 80000, 20000, Double.NaN, Double.NaN, model, POP, Double.NaN, 10.0, 2.5);
    }

    @Test
    void tableOfARatingModel() {
        EvaluationReport r = new EvaluationReport(10);
        assertEquals("fold                                 train    test    rmse     mae    p@10    r@10  ndcg@10  map@10  hit@10 "
                + "coverage    secs bias rmse", r.header());
        assertEquals("u1                                   80000   20000  0.9000  0.7000  0.1000  0.2000   0.3000  0.4000  0.5000 "
                + "  0.6000    12.5    0.9500", r.add(explicit("u1", 0.9, MODEL_1)));
        assertEquals("a fold name longer than thirty-fou   800", r.add(explicit("a fold name longer than thirty-four "
                + "characters", 1.0, MODEL_2)).substring(0, 40));
        assertEquals(List.of(
                "mean                                                0.9500  0.7500  0.2000  0.3000   0.4000  0.5000  0.6000   0.7000",
                "std                                                 0.0707  0.0707  0.1414  0.1414   0.1414  0.1414  0.1414   0.1414",
                "popularity baseline (mean)                                          0.0500  0.1000   0.2000  0.1500  0.4000   0.0200"),
                r.summaryRows());
        assertEquals("bias-only baseline rmse 0.9500 (mean + user bias + movie bias)", r.biasBaselineLine());
        assertEquals("beats popularity on ndcg@10: dot 0.4000 vs popularity 0.2000", r.verdict("dot"));
        assertEquals(25.0, r.seconds());
        assertEquals(10.0, r.trainSecondsPerFold());
        assertEquals(2.5, r.rankSecondsPerFold());
        Map<String, Object> line = EvaluationReport.line(Protocol.KFOLD, 5, true, "test", "dot");
        r.putMetrics(line);
        assertEquals(List.of("protocol", "release_files", "on", "model", "rmse_mean", "rmse_std", "mae_mean", "mae_std",
                "bias_baseline_rmse_mean", "precision_mean", "precision_std", "recall_mean", "recall_std", "ndcg_mean", "ndcg_std",
                "map_mean", "map_std", "hit_mean", "hit_std", "coverage_mean", "coverage_std", "popularity_precision_mean",
                "popularity_recall_mean", "popularity_ndcg_mean", "popularity_map_mean", "popularity_hit_mean",
                "popularity_coverage_mean", "seconds"), List.copyOf(line.keySet()));
        assertEquals(0.95, (double) line.get("rmse_mean"), 1e-12);
        assertEquals(0.4, (double) line.get("ndcg_mean"), 1e-12);
    }

    /** A rating model's report with an implicit kind (collab's bpr) shows NaN as it is: the collab table's behaviour. */
    @Test
    void numbersAModelLacksPrintAsTheyAreByDefault() {
        EvaluationReport r = new EvaluationReport(5);
        String row = r.add(implicit("u1", MODEL_1));
        assertEquals("u1                                   80000   20000     NaN     NaN  0.1000  0.2000   0.3000  0.4000  0.5000 "
                + "  0.6000    12.5       NaN", row);
        Map<String, Object> line = EvaluationReport.line(Protocol.COLD_USERS, 3, false, "valid", "bpr");
        assertEquals(3, line.get("given"));
        r.putMetrics(line);
        assertEquals(Double.NaN, line.get("rmse_mean"));
    }

    /** collab-spark's implicit ALS: n/a in the table (the popularity row's rating columns too), null in the JSON line. */
    @Test
    void aModelThatDoesNotRateShowsNotApplicable() {
        EvaluationReport r = new EvaluationReport(10, "n/a", false);
        assertEquals("u1                                   80000   20000     n/a     n/a  0.1000  0.2000   0.3000  0.4000  0.5000 "
                + "  0.6000    12.5       n/a", r.add(implicit("u1", MODEL_1)));
        List<String> rows = r.summaryRows();
        assertEquals("mean                                                   n/a     n/a  0.1000  0.2000   0.3000  0.4000  0.5000   0.6000",
                rows.get(0));
        assertEquals("popularity baseline (mean)                             n/a     n/a  0.0500  0.1000   0.2000  0.1500  0.4000   0.0200",
                rows.get(2));
        assertEquals("beats popularity on ndcg@10: implicit ALS 0.3000 vs popularity 0.2000", r.verdict("implicit ALS"));
        Map<String, Object> line = EvaluationReport.line(Protocol.U1, 5, true, "test", "als-implicit");
        r.putMetrics(line);
        for (String key : List.of("rmse_mean", "rmse_std", "mae_mean", "mae_std", "bias_baseline_rmse_mean")) {
            assertNull(line.get(key), key);
        }
        // a rating model in the same style prints its numbers
        EvaluationReport rating = new EvaluationReport(10, "n/a", true);
        rating.add(explicit("u1", 0.9, MODEL_1));
        assertEquals("popularity baseline (mean)                             n/a     n/a  0.0500  0.1000   0.2000  0.1500  0.4000   0.0200",
                rating.summaryRows().get(2));
        assertEquals("  0.9000", rating.add(explicit("u2", 0.9, new RankingResult(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 9)))
                .substring(50, 58));
        assertEquals("LOSES to popularity on ndcg@10: als 0.2000 vs popularity 0.2000", rating.verdict("als"));
    }
}

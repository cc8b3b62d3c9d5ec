package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.evaluate.Evaluation;
import io.github.fastdl4j.collab.evaluate.Scorers;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.spark.SparkAls;
import io.github.fastdl4j.collab.spark.SparkSessions;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.TrainRun;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fit ALS with biases (or, with --implicit, ALS on implicit feedback) on Spark; writes model.zip "
                + "(collab format: collab interpret|similar|recommend read it) and metrics.json.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    AlsOptions als;
    @Mixin
    ImplicitOptions implicitOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        SparkAls.Implicit implicit = implicitOptions.implicit(spec);
        als.source.check(spec.commandLine());
        try (TrainRun run = TrainRun.start("collab-spark", implicit != null ? "als-implicit" : "als", spec, common)) {
            // Spark first: a master that cannot be reached is found before the data is read
            SparkSession spark = SparkSessions.local(als.master);
            try {
                System.out.println(CollabSparkMain.sparkLine(spark));
                Ratings r = als.load(common);
                System.out.println(r.summary());
                Split split = Splits.random(r.size(), 0.2, common.seed);
                if (implicit != null) {
                    trainImplicit(run, spark, r, split, implicit);
                    return 0;
                }
                SparkAls.Result res = SparkAls.fit(spark, r, split, als.config(common.seed));
                double trainMse = SparkAls.validMse(res.model(), r, split.train());
                double ratingsPerSec = res.trainRatings() * als.iters / res.seconds();
                System.out.printf(Locale.ROOT, "ALS rank %d, %d iterations: train mse %.4f, valid mse %.4f, %.1f s (%.0f ratings/s per iteration)%n",
                        als.rank, als.iters, trainMse, res.validMse(), res.seconds(), ratingsPerSec);
                run.config().put("bias_iters", 3);
                run.config().put("valid_pct", 0.2);
                Map<String, Object> fin = new LinkedHashMap<>();
                fin.put("valid_loss", res.validMse());
                fin.put("mse", res.validMse());
                fin.put("train_mse", trainMse);
                fin.put("seconds", res.seconds());
                fin.put("samples_per_sec", ratingsPerSec);
                fin.put("train_samples", split.train().length);
                fin.put("valid_samples", split.valid().length);
                fin.put("saved_as", CollabKind.DOT_LINEAR.cliName());
                run.finish(res.model()::save, r.checksum(), " | " + CollabSparkMain.sparkLine(spark), run.report(fin), null,
                        "valid mse " + String.format(Locale.ROOT, "%.4f", res.validMse())
                                + " (use the model with ./fastdl4j collab interpret|similar|recommend --model-file)");
            } finally {
                spark.stop();
            }
        }
        return 0;
    }

    /**
     * Implicit ALS: it scores, so it is measured by how it ranks the validation part's
     * held-out interactions among each user's unseen movies (top 10), beside the popularity
     * baseline; there is no rating error to report.
     */
    private void trainImplicit(TrainRun run, SparkSession spark, Ratings r, Split split, SparkAls.Implicit implicit)
            throws IOException {
        SparkAls.Result res = SparkAls.fit(spark, r, split, als.config(common.seed, implicit));
        int k = 10;
        // relevant = a held-out rating that would have been an interaction
        double relevant = implicit.minRating();
        Evaluation.RankingResult model = Evaluation.rank(r, split, k, relevant, Scorers.scorer(res.model()));
        Evaluation.RankingResult pop = Evaluation.popularity(r, split, k, relevant);
        System.out.printf(Locale.ROOT, "implicit ALS rank %d, %d iterations, reg %s (%s): %d interactions, %.1f s%n",
                als.rank, als.iters, CollabSparkMain.fmt(als.reg), ImplicitOptions.describe(implicit), res.trainRatings(), res.seconds());
        System.out.println("it scores, it does not rate: no MSE. Ranking the validation ratings' movies among each user's "
                + "unseen ones:");
        System.out.printf(Locale.ROOT, "  %-12s p@%d %.4f  r@%d %.4f  ndcg@%d %.4f  map@%d %.4f  hit@%d %.4f  coverage %.4f%n",
                "implicit ALS", k, model.precision(), k, model.recall(), k, model.ndcg(), k, model.map(), k, model.hit(),
                model.coverage());
        System.out.printf(Locale.ROOT, "  %-12s p@%d %.4f  r@%d %.4f  ndcg@%d %.4f  map@%d %.4f  hit@%d %.4f  coverage %.4f%n",
                "popularity", k, pop.precision(), k, pop.recall(), k, pop.ndcg(), k, pop.map(), k, pop.hit(), pop.coverage());
        run.config().put("valid_pct", 0.2);
        ImplicitOptions.put(run.config(), implicit);
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("ndcg@" + k, model.ndcg());
        fin.put("precision@" + k, model.precision());
        fin.put("recall@" + k, model.recall());
        fin.put("map@" + k, model.map());
        fin.put("hit@" + k, model.hit());
        fin.put("coverage@" + k, model.coverage());
        fin.put("popularity_ndcg@" + k, pop.ndcg());
        fin.put("seconds", res.seconds());
        fin.put("interactions", res.trainRatings());
        fin.put("valid_samples", split.valid().length);
        fin.put("saved_as", CollabKind.BPR.cliName());
        run.finish(res.model()::save, r.checksum(), " | " + CollabSparkMain.sparkLine(spark), run.report(fin), null,
                String.format(Locale.ROOT, "valid ndcg@%d %.4f vs popularity %.4f", k, model.ndcg(), pop.ndcg())
                        + " (saved as collab's implicit scorer kind, " + CollabKind.BPR.cliName()
                        + ": ./fastdl4j collab recommend|similar --model-file)");
    }
}

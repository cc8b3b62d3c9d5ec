package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.collab.cli.EvaluateOptions;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.evaluate.Evaluation;
import io.github.fastdl4j.collab.evaluate.Scorers;
import io.github.fastdl4j.collab.evaluate.EvaluationReport;
import io.github.fastdl4j.collab.evaluate.Protocol;
import io.github.fastdl4j.collab.spark.SparkAls;
import io.github.fastdl4j.collab.spark.SparkSessions;
import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.train.RunReport;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate ALS the way collab evaluate does (same protocols, folds and ranking metrics, the popularity "
                + "baseline beside it): explicit ALS gets RMSE, MAE and ranking; implicit ALS (--implicit) ranking only. "
                + "A table per fold, mean and std, and one JSON line.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    EvaluateOptions eval;
    @Mixin
    AlsOptions als;
    @Mixin
    ImplicitOptions implicitOptions;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // every option is checked before Spark starts or the data is read
        common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
        SparkAls.Implicit implicit = implicitOptions.implicit(spec);
        eval.check(spec.commandLine());
        als.source.check(spec.commandLine());
        boolean onValid = eval.onValid();
        String name = implicit != null ? "implicit ALS" : "ALS";
        SparkSession spark = SparkSessions.local(als.master);
        try {
            System.out.println(BackendInfo.current().line());
            System.out.println(CollabSparkMain.sparkLine(spark));
            Ratings r = als.load(common);
            System.out.println(r.summary());
            List<Protocol.Fold> foldList = eval.protocol.folds(r, eval.folds, common.seed, eval.given);
            SparkAls.Config config = als.config(common.seed, implicit);
            System.out.printf(Locale.ROOT, "protocol %s%s, %s (rank %d, reg %s, %d iterations, %s), measured on %s; "
                            + "relevant = held-out ratings >= %s, lists of %d unrated movies%n", eval.protocol.cliName(),
                    eval.protocol.usesRelease(r, eval.folds) ? " (ml-100k's own split files)" : "", name, als.rank, CollabSparkMain.fmt(als.reg), als.iters,
                    implicit != null ? ImplicitOptions.describe(implicit) : "biases first, bias reg " + CollabSparkMain.fmt(als.biasReg),
                    onValid ? "a seeded 10% of each fold's training ratings (the test ratings are not read)" : "the held-out ratings",
                    CollabSparkMain.fmt(eval.relevant), eval.k);
            if (implicit != null) {
                System.out.println("implicit ALS scores, it does not rate: no RMSE or MAE (n/a), ranking metrics only");
            }
            // implicit ALS scores, it does not rate: its rating errors are n/a in the table, null in the JSON line
            EvaluationReport report = new EvaluationReport(eval.k, "n/a", implicit == null);
            System.out.println(report.header());
            for (Protocol.Fold f : foldList) {
                System.out.println(report.add(fold(spark, r, f, config, onValid)));
            }
            report(report, implicit, r, onValid, name);
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** One fold: fit on its training ratings (or 90% of them), then measure on its test ratings (or the other 10%). */
    private Evaluation.FoldResult fold(SparkSession spark, Ratings r, Protocol.Fold fold, SparkAls.Config config,
                                       boolean onValid) {
        Split split = onValid ? Evaluation.validationPart(fold.split(), common.seed) : fold.split();
        SparkAls.Result res = SparkAls.fit(spark, r, split, config);
        SparkAls.Errors errors = config.isImplicit() ? null : SparkAls.errors(res.model(), r, split.valid());
        long t0 = System.nanoTime();
        Evaluation.RankingResult model = Evaluation.rank(r, split, eval.k, eval.relevant, Scorers.scorer(res.model()));
        double rankSeconds = (System.nanoTime() - t0) / 1e9;
        Evaluation.RankingResult pop = Evaluation.popularity(r, split, eval.k, eval.relevant);
        return new Evaluation.FoldResult(fold.name() + (onValid ? " (validation part of its training ratings)" : ""),
                split.train().length, split.valid().length, errors == null ? Double.NaN : errors.rmse(),
                errors == null ? Double.NaN : errors.mae(), model, pop,
                config.isImplicit() ? Double.NaN : Evaluation.biasBaselineRmse(r, split.train(), split.valid(), 5),
                res.seconds(), rankSeconds);
    }

    /** Mean and std rows, the popularity baseline, the verdict, the time and the JSON line. */
    private void report(EvaluationReport report, SparkAls.Implicit implicit, Ratings r, boolean onValid, String name)
            throws IOException {
        report.summaryRows().forEach(System.out::println);
        if (implicit == null) {
            System.out.println(report.biasBaselineLine());
        }
        System.out.println(report.verdict(name));
        System.out.printf(Locale.ROOT, "time: %.1f s in all, per fold %.1f s fitting on Spark and %.2f s ranking every user's "
                + "unrated movies%n", report.seconds(), report.trainSecondsPerFold(), report.rankSecondsPerFold());
        Map<String, Object> line = EvaluationReport.line(eval.protocol, eval.given, eval.protocol.usesRelease(r, eval.folds),
                onValid ? "valid" : "test", implicit != null ? "als-implicit" : "als");
        line.put("rank", als.rank);
        line.put("reg", als.reg);
        line.put("iters", als.iters);
        if (implicit != null) {
            ImplicitOptions.put(line, implicit);
        } else {
            line.put("bias_reg", als.biasReg);
        }
        line.put("folds", report.results().size());
        line.put("k", eval.k);
        line.put("relevant", eval.relevant);
        report.putMetrics(line);
        line.put("train_seconds_per_fold", report.trainSecondsPerFold());
        line.put("rank_seconds_per_fold", report.rankSecondsPerFold());
        line.put("master", als.master);
        System.out.println(RunReport.jsonLine(line));
    }
}

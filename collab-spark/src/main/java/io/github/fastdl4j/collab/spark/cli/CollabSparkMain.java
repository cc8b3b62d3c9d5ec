package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.cli.EvaluateOptions;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.evaluate.Evaluation;
import io.github.fastdl4j.collab.evaluate.Evaluation.Summary;
import io.github.fastdl4j.collab.evaluate.Protocol;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.spark.SparkAls;
import io.github.fastdl4j.collab.spark.SparkSessions;
import io.github.fastdl4j.collab.spark.interpret.ScalingChart;
import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.Cli;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.MemoryPeaks;
import io.github.fastdl4j.common.cli.ParsingConverter;
import io.github.fastdl4j.common.cli.TrainRun;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.RunReport;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./fastdl4j collab-spark ...}: train (Spark ALS with biases, or implicit-feedback ALS),
 * evaluate (either on collab's protocols and ranking metrics), bench (ALS next to
 * DotProductBias), chart (bench lines over sizes).
 */
@Command(name = "collab-spark", mixinStandardHelpOptions = true,
        description = "Collaborative filtering on Apache Spark: MLlib ALS with biases or on implicit feedback, saved in the collab model format.",
        subcommands = {CollabSparkMain.Train.class, CollabSparkMain.Evaluate.class, CollabSparkMain.Bench.class,
                CollabSparkMain.Chart.class})
public final class CollabSparkMain implements Runnable {

    public static void main(String[] args) {
        System.exit(Cli.execute(new CollabSparkMain(), "collab-spark", args));
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Data and ALS options. */
    static class AlsOptions {
        @Option(names = "--master", converter = MasterConverter.class,
                description = "Spark master: local[*], local[2], spark://host:port (default: ${DEFAULT-VALUE}).")
        String master = "local[*]";
        @picocli.CommandLine.Mixin
        io.github.fastdl4j.collab.cli.RatingsOptions source;
        @Option(names = "--rank", converter = Checks.PositiveInt.class, description = "Latent factors (default: ${DEFAULT-VALUE}).")
        int rank = 50;
        @Option(names = "--reg", converter = Checks.NonNegativeDouble.class, description = "ALS regParam (default: ${DEFAULT-VALUE}).")
        double reg = 0.12;
        @Option(names = "--iters", converter = Checks.PositiveInt.class, description = "ALS iterations (default: ${DEFAULT-VALUE}).")
        int iters = 10;
        @Option(names = "--bias-reg", converter = Checks.NonNegativeDouble.class,
                description = "Regularisation of the bias averages (default: ${DEFAULT-VALUE}).")
        double biasReg = 3;

        Ratings load(CommonOptions common) {
            return source.load(common);
        }

        SparkAls.Config config(long seed) {
            return config(seed, null);
        }

        SparkAls.Config config(long seed, SparkAls.Implicit implicit) {
            return new SparkAls.Config(rank, reg, iters, biasReg, 3, seed, implicit);
        }
    }

    /** Implicit-feedback ALS: whether, and how the training ratings become interactions ({@link SparkAls.Implicit}). */
    static class ImplicitOptions {
        @Option(names = "--implicit", description = "Implicit-feedback ALS (MLlib implicitPrefs, Hu et al. 2008): the training "
                + "ratings are interactions; the model ranks movies, it does not predict ratings.")
        boolean implicit;
        @Option(names = "--alpha", converter = Checks.NonNegativeDouble.class,
                description = "With --implicit: an interaction of strength r is held with confidence 1 + alpha * r (default: ${DEFAULT-VALUE}).")
        double alpha = 1;
        @Option(names = "--min-rating", converter = Checks.NonNegativeDouble.class,
                description = "With --implicit: training ratings below this are not interactions (default: every rating is one).")
        Double minRating;
        @Option(names = "--confidence", converter = ConfidenceConverter.class,
                description = "With --implicit: rating (an interaction's strength r is its rating) or binary (r = 1) (default: ${DEFAULT-VALUE}).")
        String confidence = "rating";

        static final class ConfidenceConverter extends ParsingConverter<String> {
            ConfidenceConverter() {
                super(v -> {
                    if (!v.equals("rating") && !v.equals("binary")) {
                        throw new IllegalArgumentException("expected rating or binary, got '" + v + "'");
                    }
                    return v;
                });
            }
        }

        /**
         * The implicit settings, or null for explicit ALS; the implicit-only options without
         * {@code --implicit} are a usage error (they would be silently ignored).
         */
        SparkAls.Implicit implicit(CommandSpec spec) {
            if (!implicit) {
                for (String name : List.of("--alpha", "--min-rating", "--confidence")) {
                    if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(), name + " needs --implicit");
                    }
                }
                return null;
            }
            return new SparkAls.Implicit(alpha, minRating == null ? Double.NEGATIVE_INFINITY : minRating,
                    confidence.equals("rating"));
        }

        /** What the interactions are, in words. */
        static String describe(SparkAls.Implicit im) {
            return (Double.isInfinite(im.minRating()) ? "every training rating" : "training ratings >= " + fmt(im.minRating()))
                    + " an interaction, confidence 1 + " + fmt(im.alpha()) + (im.graded() ? " * rating" : "");
        }

        /** Records the implicit settings in a run's config or a JSON line. */
        static void put(Map<String, Object> m, SparkAls.Implicit im) {
            m.put("alpha", im.alpha());
            m.put("min_rating", Double.isInfinite(im.minRating()) ? null : im.minRating());
            m.put("confidence", im.graded() ? "rating" : "binary");
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** A Spark master URL of a supported form; anything else is a usage error. */
    static final class MasterConverter extends ParsingConverter<String> {
        MasterConverter() {
            super(SparkSessions::checkMaster);
        }
    }

    static String sparkLine(SparkSession spark) {
        return "spark: " + spark.version() + " | master: " + spark.sparkContext().master() + " | default parallelism: "
                + spark.sparkContext().defaultParallelism();
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Fit ALS with biases (or, with --implicit, ALS on implicit feedback) on Spark; writes model.zip "
                    + "(collab format: collab interpret|similar|recommend read it) and metrics.json.")
    static final class Train implements Callable<Integer> {
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
                    System.out.println(sparkLine(spark));
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
                    run.finish(res.model()::save, r.checksum(), " | " + sparkLine(spark), run.report(fin), null,
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
            Evaluation.RankingResult model = Evaluation.rank(r, split, k, relevant, Evaluation.scorer(res.model()));
            Evaluation.RankingResult pop = Evaluation.popularity(r, split, k, relevant);
            System.out.printf(Locale.ROOT, "implicit ALS rank %d, %d iterations, reg %s (%s): %d interactions, %.1f s%n",
                    als.rank, als.iters, fmt(als.reg), ImplicitOptions.describe(implicit), res.trainRatings(), res.seconds());
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
            run.finish(res.model()::save, r.checksum(), " | " + sparkLine(spark), run.report(fin), null,
                    String.format(Locale.ROOT, "valid ndcg@%d %.4f vs popularity %.4f", k, model.ndcg(), pop.ndcg())
                            + " (saved as collab's implicit scorer kind, " + CollabKind.BPR.cliName()
                            + ": ./fastdl4j collab recommend|similar --model-file)");
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Evaluate ALS the way collab evaluate does (same protocols, folds and ranking metrics, the popularity "
                    + "baseline beside it): explicit ALS gets RMSE, MAE and ranking; implicit ALS (--implicit) ranking only. "
                    + "A table per fold, mean and std, and one JSON line.")
    static final class Evaluate implements Callable<Integer> {
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
                System.out.println(sparkLine(spark));
                Ratings r = als.load(common);
                System.out.println(r.summary());
                List<Protocol.Fold> foldList = eval.protocol.folds(r, eval.folds, common.seed, eval.given);
                SparkAls.Config config = als.config(common.seed, implicit);
                System.out.printf(Locale.ROOT, "protocol %s%s, %s (rank %d, reg %s, %d iterations, %s), measured on %s; "
                                + "relevant = held-out ratings >= %s, lists of %d unrated movies%n", eval.protocol.cliName(),
                        eval.protocol.usesRelease(r, eval.folds) ? " (ml-100k's own split files)" : "", name, als.rank, fmt(als.reg), als.iters,
                        implicit != null ? ImplicitOptions.describe(implicit) : "biases first, bias reg " + fmt(als.biasReg),
                        onValid ? "a seeded 10% of each fold's training ratings (the test ratings are not read)" : "the held-out ratings",
                        fmt(eval.relevant), eval.k);
                if (implicit != null) {
                    System.out.println("implicit ALS scores, it does not rate: no RMSE or MAE (n/a), ranking metrics only");
                }
                System.out.println(String.format(Locale.ROOT, "%-34s %7s %7s %7s %7s %7s %7s %8s %7s %7s %8s %7s %9s", "fold", "train",
                        "test", "rmse", "mae", "p@" + eval.k, "r@" + eval.k, "ndcg@" + eval.k, "map@" + eval.k, "hit@" + eval.k, "coverage", "secs", "bias rmse"));
                List<Evaluation.FoldResult> results = new java.util.ArrayList<>();
                for (Protocol.Fold f : foldList) {
                    Evaluation.FoldResult x = fold(spark, r, f, config, onValid);
                    results.add(x);
                    System.out.println(row(x.fold(), x.trainRatings(), x.testRatings(), x.rmse(), x.mae(), x.model(),
                            x.trainSeconds() + x.rankSeconds(), x.biasRmse()));
                }
                report(results, implicit, r, onValid, name);
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
            Evaluation.RankingResult model = Evaluation.rank(r, split, eval.k, eval.relevant, Evaluation.scorer(res.model()));
            double rankSeconds = (System.nanoTime() - t0) / 1e9;
            Evaluation.RankingResult pop = Evaluation.popularity(r, split, eval.k, eval.relevant);
            return new Evaluation.FoldResult(fold.name() + (onValid ? " (validation part of its training ratings)" : ""),
                    split.train().length, split.valid().length, errors == null ? Double.NaN : errors.rmse(),
                    errors == null ? Double.NaN : errors.mae(), model, pop,
                    config.isImplicit() ? Double.NaN : Evaluation.biasBaselineRmse(r, split.train(), split.valid(), 5),
                    res.seconds(), rankSeconds);
        }

        /** Mean and std rows, the popularity baseline, the verdict and the JSON line. */
        private void report(List<Evaluation.FoldResult> results, SparkAls.Implicit implicit, Ratings r, boolean onValid,
                            String name) throws IOException {
            Summary rmse = Summary.of(results, Evaluation.FoldResult::rmse);
            Summary mae = Summary.of(results, Evaluation.FoldResult::mae);
            Map<String, Summary> rank = Evaluation.rankingSummary(results, Evaluation.FoldResult::model);
            Map<String, Summary> pop = Evaluation.rankingSummary(results, Evaluation.FoldResult::popularity);
            System.out.println(summaryRow("mean", rmse.mean(), mae.mean(), rank, Summary::mean));
            System.out.println(summaryRow("std", rmse.std(), mae.std(), rank, Summary::std));
            System.out.println(summaryRow("popularity baseline (mean)", Double.NaN, Double.NaN, pop, Summary::mean));
            double seconds = results.stream().mapToDouble(x -> x.trainSeconds() + x.rankSeconds()).sum();
            double trainPerFold = results.stream().mapToDouble(Evaluation.FoldResult::trainSeconds).average().orElse(0);
            double rankPerFold = results.stream().mapToDouble(Evaluation.FoldResult::rankSeconds).average().orElse(0);
            if (implicit == null) {
                System.out.printf(Locale.ROOT, "bias-only baseline rmse %.4f (mean + user bias + movie bias)%n",
                        Summary.of(results, Evaluation.FoldResult::biasRmse).mean());
            }
            double gap = rank.get("ndcg").mean() - pop.get("ndcg").mean();
            System.out.printf(Locale.ROOT, "%s ndcg@%d: %s %.4f vs popularity %.4f%n", gap > 0 ? "beats popularity on"
                    : "LOSES to popularity on", eval.k, name, rank.get("ndcg").mean(), pop.get("ndcg").mean());
            System.out.printf(Locale.ROOT, "time: %.1f s in all, per fold %.1f s fitting on Spark and %.2f s ranking every user's "
                    + "unrated movies%n", seconds, trainPerFold, rankPerFold);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("protocol", eval.protocol.cliName());
            if (eval.protocol == Protocol.COLD_USERS || eval.protocol == Protocol.COLD_MOVIES) {
                line.put("given", eval.given);
            }
            line.put("release_files", eval.protocol.usesRelease(r, eval.folds));
            line.put("on", onValid ? "valid" : "test");
            line.put("model", implicit != null ? "als-implicit" : "als");
            line.put("rank", als.rank);
            line.put("reg", als.reg);
            line.put("iters", als.iters);
            if (implicit != null) {
                ImplicitOptions.put(line, implicit);
            } else {
                line.put("bias_reg", als.biasReg);
            }
            line.put("folds", results.size());
            line.put("k", eval.k);
            line.put("relevant", eval.relevant);
            // an implicit model has no rating error: null, not a number
            line.put("rmse_mean", implicit != null ? null : rmse.mean());
            line.put("rmse_std", implicit != null ? null : rmse.std());
            line.put("mae_mean", implicit != null ? null : mae.mean());
            line.put("mae_std", implicit != null ? null : mae.std());
            line.put("bias_baseline_rmse_mean", implicit != null ? null : Summary.of(results, Evaluation.FoldResult::biasRmse).mean());
            rank.forEach((n, v) -> {
                line.put(n + "_mean", v.mean());
                line.put(n + "_std", v.std());
            });
            pop.forEach((n, v) -> line.put("popularity_" + n + "_mean", v.mean()));
            line.put("seconds", seconds);
            line.put("train_seconds_per_fold", trainPerFold);
            line.put("rank_seconds_per_fold", rankPerFold);
            line.put("master", als.master);
            System.out.println(RunReport.jsonLine(line));
        }

        private static String row(String fold, int train, int test, double rmse, double mae, Evaluation.RankingResult x, double secs,
                                  double biasRmse) {
            return String.format(Locale.ROOT, "%-34s %7d %7d %7s %7s %7.4f %7.4f %8.4f %7.4f %7.4f %8.4f %7.1f %9s",
                    fold.length() > 34 ? fold.substring(0, 34) : fold, train, test, num(rmse), num(mae), x.precision(), x.recall(),
                    x.ndcg(), x.map(), x.hit(), x.coverage(), secs, num(biasRmse));
        }

        private static String summaryRow(String label, double rmse, double mae, Map<String, Summary> rank,
                                         java.util.function.ToDoubleFunction<Summary> pick) {
            return String.format(Locale.ROOT, "%-34s %7s %7s %7s %7s %7.4f %7.4f %8.4f %7.4f %7.4f %8.4f", label, "", "", num(rmse),
                    num(mae), pick.applyAsDouble(rank.get("precision")), pick.applyAsDouble(rank.get("recall")),
                    pick.applyAsDouble(rank.get("ndcg")), pick.applyAsDouble(rank.get("map")), pick.applyAsDouble(rank.get("hit")),
                    pick.applyAsDouble(rank.get("coverage")));
        }

        /** A rating error to 4 places, or n/a for a model that does not rate. */
        private static String num(double v) {
            return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "JSON lines: Spark ALS and the single-node DotProductBias on the same ratings and split (time, ratings/s, peak memory, valid MSE).")
    static final class Bench implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CommonOptions common;
        @Mixin
        AlsOptions als;
        @Option(names = "--engines", split = ",", converter = EngineConverter.class, description = "als and/or dot (default: als,dot).")
        List<String> engines = List.of("als", "dot");

        /** als or dot; anything else is a usage error. */
        static final class EngineConverter extends ParsingConverter<String> {
            EngineConverter() {
                super(v -> {
                    if (!v.equals("als") && !v.equals("dot")) {
                        throw new IllegalArgumentException("unknown engine " + v + " (als, dot)");
                    }
                    return v;
                });
            }
        }
        @Option(names = "--epochs", converter = Checks.PositiveInt.class, description = "DotProductBias epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 5;
        @Option(names = "--bs", converter = Checks.PositiveInt.class, description = "DotProductBias batch size (default: ${DEFAULT-VALUE}).")
        int batchSize = 1024;
        @Option(names = "--lr", converter = Checks.PositiveDouble.class, description = "DotProductBias learning rate (default: ${DEFAULT-VALUE}).")
        double lr = 5e-3;
        @Option(names = "--wd", converter = Checks.NonNegativeDouble.class, description = "DotProductBias weight decay, decoupled, per step (default: ${DEFAULT-VALUE}; with many steps per epoch a smaller one).")
        double wd = 0.1;
        @Option(names = "--adam", converter = io.github.fastdl4j.common.cli.AdamModeConverter.class,
                description = "DotProductBias optimiser: lazy (only the batch's rows, the single-node choice at scale) or dense (fastai) (default: ${DEFAULT-VALUE}).")
        AdamW.Mode adam = AdamW.Mode.LAZY;

        @Override
        public Integer call() throws IOException {
            common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
            als.source.check(spec.commandLine());
            BackendInfo backend = BackendInfo.current();
            System.err.println(backend.line());
            Ratings r = als.load(common);
            Path truth = r.source().resolve("truth.json");
            Double best = Files.isRegularFile(truth) ? ModelArchive.JSON.readTree(truth.toFile()).path("best_mse").asDouble() : null;
            for (String engine : engines) {
                MemoryPeaks.reset();
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("engine", engine);
                line.put("ratings", r.size());
                if (engine.equals("als")) {
                    SparkSession spark = SparkSessions.local(als.master);
                    try {
                        SparkAls.Result res = SparkAls.fit(spark, r, Splits.random(r.size(), 0.2, common.seed), als.config(common.seed));
                        line.put("master", spark.sparkContext().master());
                        line.put("rank", als.rank);
                        line.put("iterations", als.iters);
                        line.put("seconds", res.seconds());
                        line.put("seconds_per_iteration", res.seconds() / als.iters);
                        line.put("ratings_per_sec", Math.round(res.trainRatings() * als.iters / res.seconds()));
                        line.put("valid_mse", res.validMse());
                    } finally {
                        spark.stop();
                    }
                } else {
                    CollabLearner learn = CollabLearner.of(r).model(CollabKind.DOT).nFactors(als.rank).yRange(r.yRange()[0], r.yRange()[1])
                            .batchSize(batchSize).seed(common.seed).adam(adam).build();
                    learn.learner().quiet(true);
                    FitResult fit = learn.fitOneCycle(epochs, lr, wd);
                    line.put("epochs", epochs);
                    line.put("factors", als.rank);
                    line.put("adam", adam.name().toLowerCase(Locale.ROOT));
                    line.put("lr", lr);
                    line.put("wd", wd);
                    line.put("seconds", fit.trainSeconds());
                    line.put("seconds_per_epoch", fit.trainSeconds() / epochs);
                    line.put("ratings_per_sec", Math.round(fit.samplesPerSecond()));
                    line.put("valid_mse", fit.last().validLoss());
                }
                if (best != null) {
                    line.put("best_possible_mse", best);
                }
                line.put("peak_heap_mb", MemoryPeaks.heapMb());
                line.put("peak_rss_mb_so_far", MemoryPeaks.residentMb());
                line.put("backend", backend.shortName());
                System.out.println(RunReport.jsonLine(line));
            }
            return 0;
        }
    }

    @Command(name = "chart", mixinStandardHelpOptions = true,
            description = "Scaling charts from bench JSON lines of several data sizes: seconds per pass and validation MSE against ratings.")
    static final class Chart implements Callable<Integer> {
        @picocli.CommandLine.Parameters(arity = "1..*", paramLabel = "BENCH", description = "Files holding bench output (JSON lines; other lines are skipped).")
        List<Path> files;
        @Option(names = "--out", required = true, description = "Folder for scaling_seconds.png and scaling_mse.png.")
        Path out;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            io.github.fastdl4j.common.cli.Outputs.checkSharedFolder(spec, "--out", out,
                    java.util.Set.of("scaling_seconds.png", "scaling_mse.png"));
            ScalingChart chart = ScalingChart.read(files);
            System.out.printf(Locale.ROOT, "%-48s %12s %12s %12s %10s%n", "series", "ratings", "s/pass", "ratings/s", "valid mse");
            chart.series().forEach((name, points) -> points.forEach(p -> System.out.printf(Locale.ROOT,
                    "%-48s %12d %12.1f %12.0f %10.4f%n", name, p.ratings(), p.secondsPerPass(), p.ratingsPerSec(), p.validMse())));
            for (Path p : chart.write(out)) {
                System.out.println("wrote " + p);
            }
            return 0;
        }
    }
}

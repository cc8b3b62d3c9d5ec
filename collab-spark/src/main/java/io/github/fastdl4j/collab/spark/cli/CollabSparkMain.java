package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
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

/** {@code ./fastdl4j collab-spark ...}: train (Spark ALS with biases), bench (ALS next to DotProductBias), chart (bench lines over sizes). */
@Command(name = "collab-spark", mixinStandardHelpOptions = true,
        description = "Collaborative filtering on Apache Spark: MLlib ALS with biases, saved in the collab model format.",
        subcommands = {CollabSparkMain.Train.class, CollabSparkMain.Bench.class, CollabSparkMain.Chart.class})
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
            return new SparkAls.Config(rank, reg, iters, biasReg, 3, seed);
        }
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
            description = "Fit ALS with biases on Spark; writes model.zip (collab format: collab interpret|similar|recommend read it) and metrics.json.")
    static final class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        AlsOptions als;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try (TrainRun run = TrainRun.start("collab-spark", "als", spec, common)) {
                // Spark first: a master that cannot be reached is found before the data is read
                SparkSession spark = SparkSessions.local(als.master);
                try {
                    System.out.println(sparkLine(spark));
                    Ratings r = als.load(common);
                    System.out.println(r.summary());
                    Split split = Splits.random(r.size(), 0.2, common.seed);
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
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "JSON lines: Spark ALS and the single-node DotProductBias on the same ratings and split (time, ratings/s, peak memory, valid MSE).")
    static final class Bench implements Callable<Integer> {
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

        @Override
        public Integer call() throws IOException {
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

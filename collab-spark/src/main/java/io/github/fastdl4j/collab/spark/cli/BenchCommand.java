package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.spark.SparkAls;
import io.github.fastdl4j.collab.spark.SparkSessions;
import io.github.fastdl4j.common.cli.AdamModeConverter;
import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.MemoryPeaks;
import io.github.fastdl4j.common.cli.ParsingConverter;
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

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "JSON lines: Spark ALS and the single-node DotProductBias on the same ratings and split (time, ratings/s, peak memory, valid MSE).")
final class BenchCommand implements Callable<Integer> {
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
    @Option(names = "--adam", converter = AdamModeConverter.class,
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

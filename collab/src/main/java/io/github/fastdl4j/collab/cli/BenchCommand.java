package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.MemoryPeaks;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Train each model and print one JSON line per model (speed and validation MSE).")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    HyperOptions hyper;
    @Option(names = "--models", split = ",", converter = KindConverter.class,
            description = "Models to run (default: the lesson's six: dot,dot-layers,nn,nn-layers,nn-bn,hybrid; also dot-linear).")
    List<CollabKind> models = Arrays.stream(CollabKind.values()).filter(k -> k != CollabKind.DOT_LINEAR && !k.implicit()).toList();

    @Override
    public Integer call() throws IOException {
        common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
        hyper.checkSource(spec);
        BackendInfo backend = BackendInfo.current();
        System.err.println(backend.line());
        long l0 = System.nanoTime();
        Ratings r = hyper.load(common);
        double loadSeconds = Math.round((System.nanoTime() - l0) / 1e7) / 100.0; // the whole load: ratings and metadata
        for (CollabKind kind : models) {
            MemoryPeaks.reset();
            CollabLearner learn = hyper.learner(r, kind, common.seed);
            learn.learner().quiet(true);
            long t0 = System.nanoTime();
            FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
            double wall = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("model", kind.cliName());
            line.put("adam", hyper.adamFor(kind).name().toLowerCase(Locale.ROOT));
            line.put("dataset", String.valueOf(r.source().getFileName()));
            line.put("rows", r.size());
            line.put("load_seconds", loadSeconds);
            line.put("epochs", hyper.epochs);
            line.put("batch_size", hyper.batchSize);
            line.put("samples_per_sec", Math.round(fit.samplesPerSecond()));
            line.put("seconds_per_epoch", Math.round(wall / hyper.epochs * 100) / 100.0);
            line.put("valid_mse", Math.round(fit.last().validLoss() * 1e4) / 1e4);
            MemoryPeaks.putInto(line);
            line.put("backend", backend.shortName());
            System.out.println(RunReport.jsonLine(line));
        }
        return 0;
    }
}

package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.MemoryPeaks;
import io.github.fastdl4j.common.cli.ParsingConverter;
import io.github.fastdl4j.common.dl4j.OneDnnHelpers;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.RunReport;
import io.github.fastdl4j.tabular.TabularLearner;
import io.github.fastdl4j.tabular.data.ShopSales;
import io.github.fastdl4j.tabular.evaluate.Scores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tabular bench}: each variant trained on the lesson's data, one JSON line of speed and {@link Scores} each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Train and print one JSON line per variant: rows (of train.csv), load_seconds (reading and features), "
                + "rows_per_sec, seconds_per_epoch, exp_rmspe, peak_rss_mb, backend.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    DataChoice dataChoice;
    @Mixin
    Hyper hyper;
    @Option(names = "--variants", split = ",", converter = VariantConverter.class,
            description = "Any of embeddings (TabularNet), one-hot (TabularNet on one-hot codes), layers (DL4J's layers), "
                    + "layers-one-hot (default: embeddings).")
    List<String> variants = List.of("embeddings");
    @Spec
    CommandSpec spec;

    /** A bench variant's name; unknown ones are a usage error. */
    static final class VariantConverter extends ParsingConverter<String> {
        VariantConverter() {
            super(v -> {
                List<String> known = List.of("embeddings", "one-hot", "layers", "layers-one-hot");
                if (!known.contains(v)) {
                    throw new IllegalArgumentException("unknown variant " + v + " (" + String.join(", ", known) + ")");
                }
                return v;
            });
        }
    }

    @Override
    public Integer call() throws IOException {
        common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
        hyper.checkPs(spec);
        BackendInfo backend = BackendInfo.current();
        System.err.println(backend.line());
        long l0 = System.nanoTime();
        ShopSales data = dataChoice.load(common);
        double loadSeconds = Math.round((System.nanoTime() - l0) / 1e7) / 100.0; // the whole load: files and features
        ShopSales scored = data.narrow(ShopSales.SCORED);
        for (int k = 0; k < variants.size(); k++) {
            String v = variants.get(k);
            boolean oneHot = v.endsWith("one-hot");
            boolean dl4j = v.startsWith("layers");
            MemoryPeaks.reset();
            TabularLearner learn = hyper.learner(data.frame(), common.seed, oneHot, dl4j);
            if (k == variants.size() - 1) {
                data = null; // the learner holds its processed rows; scoring reads a few columns (scored)
            }
            learn.learner().quiet(true);
            FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
            Scores s = Scores.of(scored, learn);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("model", Hyper.name(oneHot, dl4j));
            line.put("rows", scored.allRows());
            line.put("load_seconds", loadSeconds);
            line.put("epochs", hyper.epochs);
            line.put("bs", learn.batchSize());
            line.put("layers", learn.predictor().spec().layers());
            line.put("onednn", dl4j && OneDnnHelpers.active());
            line.put("rows_per_sec", Math.round(fit.samplesPerSecond()));
            line.put("seconds_per_epoch", fit.trainSeconds() / hyper.epochs);
            line.putAll(s.asMap());
            line.put("simulated", scored.simulated());
            MemoryPeaks.putInto(line);
            line.put("backend", backend.shortName());
            System.out.println(RunReport.jsonLine(line));
        }
        return 0;
    }
}

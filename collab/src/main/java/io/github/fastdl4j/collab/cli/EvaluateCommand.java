package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.evaluate.Evaluation;
import io.github.fastdl4j.collab.evaluate.EvaluationReport;
import io.github.fastdl4j.collab.evaluate.Protocol;
import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.train.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model the way recommender libraries publish results: RMSE, MAE and top-N ranking "
                + "metrics per fold of a protocol (ml-100k's u1..u5, ua, ub, or k-fold), mean and std, beside the "
                + "popularity baseline; one JSON line at the end.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    EvaluateOptions eval;
    @Mixin
    HyperOptions hyper;
    @Mixin
    ModelOption model;
    @Option(names = "--ensemble", converter = Checks.PositiveInt.class,
            description = "Train this many models (seeds seed, seed+1, ...) and average them (default: ${DEFAULT-VALUE}).")
    int ensemble = 1;

    @Override
    public Integer call() throws IOException {
        common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
        eval.check(spec.commandLine());
        hyper.checkSource(spec);
        BackendInfo backend = BackendInfo.current();
        System.out.println(backend.line());
        Ratings r = hyper.load(common);
        System.out.println(r.summary());
        List<Protocol.Fold> folds = eval.protocol.folds(r, eval.folds, common.seed, eval.given); // data too small: said here
        Evaluation.Config c = new Evaluation.Config(model.kind, hyper.factors, hyper.layers, hyper.epochs, hyper.lr, hyper.wd,
                hyper.batchSize, hyper.adamFor(model.kind), common.seed, eval.k, eval.relevant, eval.onValid(), ensemble);
        System.out.printf(Locale.ROOT, "protocol %s%s, model %s (%d epochs, lr %g, wd %g, %d factors), measured on %s; "
                        + "relevant = held-out ratings >= %g, lists of %d unrated items; predicted ratings clipped to the scale%n", eval.protocol.cliName(),
                eval.protocol.usesRelease(r, eval.folds) ? " (ml-100k's own split files)" : "", model.kind, hyper.epochs, hyper.lr, hyper.wd,
                hyper.factors, eval.onValid() ? "a seeded 10% of each fold's training ratings (the test ratings are not read)"
                        : "the held-out ratings", eval.relevant, eval.k);
        EvaluationReport report = new EvaluationReport(eval.k);
        System.out.println(report.header());
        for (Protocol.Fold f : folds) {
            System.out.println(report.add(Evaluation.fold(r, f, c)));
        }
        report.summaryRows().forEach(System.out::println);
        System.out.println(report.biasBaselineLine());
        System.out.println(report.verdict(String.valueOf(model.kind)));
        Map<String, Object> line = EvaluationReport.line(eval.protocol, eval.given, eval.protocol.usesRelease(r, eval.folds),
                eval.on, model.kind.cliName());
        line.put("epochs", hyper.epochs);
        line.put("lr", hyper.lr);
        line.put("wd", hyper.wd);
        line.put("factors", hyper.factors);
        line.put("bs", hyper.batchSize);
        line.put("folds", report.results().size());
        line.put("ensemble", ensemble);
        line.put("k", eval.k);
        line.put("relevant", eval.relevant);
        report.putMetrics(line);
        line.put("rank_seconds_per_fold", report.rankSecondsPerFold());
        line.put("backend", backend.shortName());
        System.out.println(RunReport.jsonLine(line));
        return 0;
    }
}

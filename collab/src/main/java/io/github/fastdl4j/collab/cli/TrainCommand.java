package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.data.RatingsLoader;
import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.TrainRun;
import io.github.fastdl4j.common.cli.TrainingOptions;
import io.github.fastdl4j.common.train.FitResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model; writes model.zip, metrics.json and charts to --out.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    HyperOptions hyper;
    @Mixin
    ModelOption model;
    @Mixin
    TrainingOptions training;
    @Option(names = "--more-ratings", paramLabel = "LOG", description = "More ratings in the ratings.csv layout, e.g. a served "
            + "model's feedback log (repeatable): trained on together with the ratings; a pair rated again takes the later rating.")
    List<Path> moreRatings = List.of();

    @Override
    public Integer call() throws IOException {
        CollabKind kind = model.kind;
        hyper.checkSource(spec);
        hyper.checkAdam(spec, kind);
        for (Path f : moreRatings) {
            if (!Files.isRegularFile(f)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--more-ratings: " + f + ": not a file");
            }
        }
        try (TrainRun run = TrainRun.start("collab", kind.cliName(), spec, common, training)) {
            Ratings r = hyper.load(common);
            if (!moreRatings.isEmpty()) {
                r = RatingsLoader.withMore(r, moreRatings);
            }
            System.out.println(r.summary());
            CollabLearner learn = hyper.learner(r, kind, common.seed);
            System.out.println(learn.learner().model().describe());
            String noChart = CollabInterpretation.pcaChartNote(r.movieVocab().size() - 1,
                    learn.model().movieFactors()[0].length);
            if (noChart != null) {
                System.out.println("note: " + noChart);
            }
            run.attach(learn.learner(), r.checksum());
            FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
            System.out.println();
            System.out.println("show_results (validation ratings):");
            System.out.printf(Locale.ROOT, "  %-8s %-48s %6s %9s%n", "user", "movie", "rating", "predicted");
            for (CollabLearner.Result x : learn.showResults(8, common.seed)) {
                System.out.printf(Locale.ROOT, "  %-8s %-48s %6.1f %9.2f%n", x.user(),
                        x.movie().length() > 48 ? x.movie().substring(0, 47) + "~" : x.movie(), x.actual(), x.predicted());
            }
            hyper.source.leaveOutUnused(run.config());
            run.config().put("valid_pct", 0.2);
            run.config().put("y_range", Arrays.stream(r.yRange()).boxed().toList());
            run.finish(learn.model()::save, r.checksum(),
                    run.report(fit, Map.of("train_samples", learn.split().train().length,
                            "valid_samples", learn.split().valid().length)),
                    charts -> {
                        fit.plot(charts, "");
                        new CollabInterpretation(learn.model()).writeCharts(charts);
                    },
                    String.format(Locale.ROOT, "valid mse %.4f (epoch %d), %.0f ratings/s", fit.kept().validLoss(),
                            fit.kept().epoch(), fit.samplesPerSecond()));
        }
        return 0;
    }
}

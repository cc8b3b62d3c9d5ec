package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.TrainRun;
import io.github.fastdl4j.common.cli.TrainingOptions;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.tabular.TabularLearner;
import io.github.fastdl4j.tabular.data.Rossmann;
import io.github.fastdl4j.tabular.data.ShopSales;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.data.TransformProcessExport;
import io.github.fastdl4j.tabular.evaluate.Scores;
import io.github.fastdl4j.tabular.interpret.EmbeddingInterpretation;
import io.github.fastdl4j.tabular.interpret.ResultsTable;
import io.github.fastdl4j.tabular.interpret.ValidationReport;
import io.github.fastdl4j.tabular.model.TabularSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code tabular train}: the lesson's shop sales (scored by {@link Scores}) or a user's --csv table
 * (scored by {@link ValidationReport}); writes model.zip, metrics.json and charts.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a tabular model on the lesson's shop sales or on any --csv table (regression or classification); "
                + "writes model.zip, metrics.json and charts to --out. With --csv, --bs defaults to about a hundredth of "
                + "the training rows (64..1024).")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    DataChoice dataChoice;
    @Mixin
    TableOptions table;
    @Mixin
    Hyper hyper;
    @Mixin
    TrainingOptions training;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        table.check(spec);
        hyper.checkPs(spec);
        try (TrainRun run = TrainRun.start("tabular", hyper.name(), spec, common, training)) {
            if (table.given()) {
                trainTable(run);
                return 0;
            }
            ShopSales data = dataChoice.load(common);
            TabularLearner learn = hyper.learner(data.frame(), common.seed);
            data = data.narrow(ShopSales.SCORED); // the learner holds its processed rows: let the other columns go
            System.out.println(learn.learner().model().describe());
            recordUsed(run, learn);
            if (!data.dir().toAbsolutePath().startsWith(Datasets.defaultCache().resolve("shop-sales-sim").toAbsolutePath())) {
                run.config().remove("stores"); // files were read, not the default simulation of this size
                run.config().remove("sim_seed");
            }
            run.attach(learn.learner(), data.checksum());
            FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
            Scores scores = Scores.of(data, learn);
            System.out.println(scores.line());
            ResultsTable.printLesson(System.out, learn.showResults(data.frame(), ResultsTable.LESSON_COLUMNS, 8, common.seed));
            run.config().put("data", data.dir().toString());
            run.config().put("valid", "last 42 days");
            // the store table joined in, inside model.zip: predict and serve need only a day's row
            TabularPredictor withStores = learn.predictor().withStores(Rossmann.storeTable(data.dir()));
            run.finish(withStores::save, data.checksum(), run.report(fit, scores.asMap()), charts -> {
                fit.plot(charts, "");
                if (!hyper.oneHot) {
                    new EmbeddingInterpretation(learn.predictor()).writeCharts(charts);
                }
            }, String.format(Locale.ROOT, "exp_rmspe %.4f (epoch %d), %.0f rows/s",
                    fit.kept().metrics().get("exp_rmspe"), fit.kept().epoch(), fit.samplesPerSecond()));
        }
        return 0;
    }

    /**
     * metrics.json and the model's provenance record the settings this run used, and only
     * those: the options of the data it did not read are left out (the simulation's size for a
     * user's table, the table's options for the lesson's data), defaults the learner resolved
     * (the batch size sized to the table, the layers, dropout and y range of the preset) are
     * recorded as resolved, options left unset are absent. Before attach, so a resumed run
     * compares the same record.
     */
    private void recordUsed(TrainRun run, TabularLearner learn) {
        Map<String, Object> c = run.config();
        for (OptionSpec o : spec.mixins().get(table.given() ? "dataChoice" : "table").options()) {
            c.remove(o.longestName().replaceFirst("^-+", "").replace('-', '_'));
        }
        TabularSpec s = learn.predictor().spec();
        c.put("bs", learn.batchSize());
        c.put("layers", s.layers());
        c.put("ps", s.ps());
        c.put("emb_drop", s.embDrop());
        if (!hyper.dl4j) {
            c.remove("onednn"); // DL4J's layer helpers: nothing of TabularNet's
        }
        if (table.given()) {
            TabularPipeline p = learn.predictor().pipeline();
            c.put("task", p.classifier() ? "classify" : "regress");
            c.remove("classify");
            c.remove("regress");
            if (p.classifier()) {
                c.remove("y_range");
                c.remove("log_y");
            } else {
                c.put("y_range", List.of(s.yLow(), s.yHigh()));
            }
            if (table.validCol == null && table.dateCol == null) {
                c.put("valid_pct", table.validPct == null ? 0.2 : table.validPct);
            }
            if (table.cat != null || table.cont != null) {
                c.remove("max_card"); // the columns were named: no cont_cat_split
            }
        }
        c.values().removeIf(Objects::isNull);
    }

    /** The generic path: the user's table, fastai's tabular_learner. */
    private void trainTable(TrainRun run) throws IOException {
        LoadedTable l = LoadedTable.of(table, hyper, common.seed);
        TabularLearner learn = l.learn();
        System.out.println(learn.learner().model().describe());
        recordUsed(run, learn);
        run.attach(learn.learner(), l.checksum());
        FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
        ValidationReport report = learn.validation();
        System.out.println(report.line());
        showTableResults(learn, l);
        TabularPipeline pipeline = learn.predictor().pipeline();
        if (pipeline.dateParts().isEmpty() && !TransformProcessExport.fits(pipeline)) {
            System.out.println("note: model.zip holds no DataVec TransformProcess: " + pipeline.rawColumns().size()
                    + " columns are too many for DataVec's schema-per-step export (predict does not need it)");
        }
        run.config().put("data", table.csv.toAbsolutePath().toString());
        run.config().put("valid", table.validDescription(common.seed));
        run.config().put("columns", l.kinds().asMap());
        run.finish(learn.predictor()::save, l.checksum(), run.report(fit, report.asMap()), charts -> {
            fit.plot(charts, "");
            if (!hyper.oneHot) {
                new EmbeddingInterpretation(learn.predictor()).writeCharts(charts, learn.predictor().spec().catNames());
            }
        }, String.format(Locale.ROOT, "%s (epoch %d), %.0f rows/s", report.headline(), fit.kept().epoch(),
                fit.samplesPerSecond()));
    }

    /** fastai's show_results for a user's table: every input column of the file, as fastai shows them (the first 20 of a wide one). */
    private void showTableResults(TabularLearner learn, LoadedTable l) {
        List<String> inputs = l.table().csv().names().stream()
                .filter(c -> l.kinds().cats().contains(c) || l.kinds().conts().contains(c)).toList();
        List<String> cols = inputs.subList(0, Math.min(ResultsTable.SHOWN_COLUMNS, inputs.size()));
        ResultsTable.printTable(System.out, learn.showResults(l.table().frame(), cols, 8, common.seed), cols.size(),
                inputs.size());
    }
}

package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.CsvFormatOptions;
import io.github.fastdl4j.common.cli.Outputs;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.tabular.data.Dates;
import io.github.fastdl4j.tabular.data.Rossmann;
import io.github.fastdl4j.tabular.data.RossmannFeatures;
import io.github.fastdl4j.tabular.data.TabularCsv;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.model.Predictions;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code tabular predict}: a model.zip's predictions for the rows of a csv, written by {@link Predictions}. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the rows of --csv with a model.zip: a model of the lesson's data reads test.csv "
                + "(Id,Store,DayOfWeek,Date,Open,Promo,StateHoliday,SchoolHoliday) and writes Id,Sales; a model of a --csv "
                + "table reads the same columns and writes one prediction per row (a classifier: the class and each "
                + "class's probability).")
final class PredictCommand extends CsvFormatOptions implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A model.zip from train.")
    Path modelFile;
    @Option(names = "--csv", required = true, description = "The rows to predict.")
    Path csv;
    @Option(names = "--store-dir", description = "Folder with store.csv (and store_states.csv) for a model of the lesson's "
            + "data (default: the store table the model recorded at training; for a model without one, the csv's folder).")
    Path storeDir;
    @Option(names = "--id-col", paramLabel = "C", description = "A column of --csv to copy into the output as the row's "
            + "name (default: the row's line number).")
    String idCol;
    @Option(names = "--out", description = "Output file (default: submission.csv for the lesson's data, predictions.csv "
            + "for a table, next to the csv).")
    Path out;
    @Spec
    CommandSpec spec;

    /**
     * Refuses an output file the command reads (the model, the rows, the store files a model of
     * the lesson's data reads beside them), before any rows are read.
     */
    private void checkOut(Path target) {
        Path dir = storeDir != null ? storeDir : csv.toAbsolutePath().getParent();
        Outputs.checkFile(spec, "--out", target,
                new Outputs.Input("the store file", dir.resolve("store.csv")),
                new Outputs.Input("the store file", dir.resolve("store_states.csv")));
        AtomicFiles.checkTarget(target);
    }

    @Override
    public Integer call() throws IOException {
        Path target = out;
        if (target != null) {
            checkOut(target);
        }
        System.err.println(BackendInfo.current().line());
        TabularPredictor m = TabularPredictor.load(modelFile);
        boolean lesson = TabularPipeline.ROSSMANN.equals(m.pipeline().preset());
        // options that mean nothing for this kind of model: usage errors before any row is read
        List<String> meaningless = lesson ? List.of("--id-col", "--sep", "--no-header", "--encoding") : List.of("--store-dir");
        for (String o : meaningless) {
            if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                throw new ParameterException(spec.commandLine(), o + " does not apply to " + modelFile
                        + ", a model of " + (lesson ? "the lesson's data (its test.csv has Id and a fixed layout)"
                        : "a --csv table (no store files)"));
            }
        }
        if (!lesson) {
            refuseForParquet(spec.commandLine(), csv);
            predictTable(m, target != null ? target : csv.toAbsolutePath().getParent().resolve("predictions.csv"));
            return 0;
        }
        if (target == null) {
            target = csv.toAbsolutePath().getParent().resolve("submission.csv");
        }
        checkOut(target);
        Path dir = storeDir != null ? storeDir : csv.toAbsolutePath().getParent();
        // the store table the model recorded at training, unless --store-dir overrides it; a model saved
        // before it recorded one reads the files beside the csv, as it always did
        TabularFrame f = RossmannFeatures.add(storeDir == null && m.stores() != null ? Rossmann.loadTest(csv, m.stores())
                : Rossmann.loadTest(csv, dir));
        for (String column : m.pipeline().rawColumns()) {
            if (!f.has(column)) {
                throw new BadInputException(csv + ": has no column '" + column + "', which the model " + modelFile
                        + " was trained on");
            }
        }
        int rows = Predictions.writeSubmission(m, f, csv, target);
        System.out.printf(Locale.ROOT, "predicted %,d rows; wrote %s%n", rows, target);
        return 0;
    }

    /** A model of a user's table: the table's raw columns in, one line per row out. */
    private void predictTable(TabularPredictor m, Path target) throws IOException {
        checkOut(target);
        TabularPipeline p = m.pipeline();
        TabularCsv.Table t = TabularCsv.read(csv, format(), p.dateParts(), Dates.of(p.dateFormat()));
        List<String> needed = new ArrayList<>(p.rawColumns());
        if (idCol != null) {
            needed.add(idCol);
        }
        t.require(needed, "the model " + modelFile.getFileName() + " was trained on it");
        for (String c : p.contNames()) {
            if (t.csv().has(c)) {
                t.requireNumbers(c, "a continuous column of the model");
            }
        }
        Predictions.writeTable(m, t, csv, idCol, target);
        System.out.printf(Locale.ROOT, "predicted %,d rows (%s of %s); wrote %s%n", t.frame().rows(),
                p.classifier() ? "class" : "value", p.yName(), target);
    }
}

package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.data.ParquetTable;
import io.github.fastdl4j.tabular.TabularLearner;
import io.github.fastdl4j.tabular.data.TabularCsv;
import io.github.fastdl4j.tabular.data.TabularPipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A user's table loaded, its columns chosen and its learner built, each step told on stdout
 * (train and lr-find share it).
 */
record LoadedTable(TabularCsv.Table table, TabularCsv.ColumnKinds kinds, TabularLearner learn, String checksum) {
    static LoadedTable of(TableOptions options, Hyper hyper, long seed) throws IOException {
        long t0 = System.nanoTime();
        TabularCsv.Table t = options.read();
        System.out.printf(Locale.ROOT, "%s: %,d rows, %d columns, read%s in %.1f s%n", options.csv,
                t.frame().rows(), t.csv().names().size(), ParquetTable.isParquet(options.csv) ? " through parquet-java" : "",
                (System.nanoTime() - t0) / 1e9);
        TabularCsv.ColumnKinds kinds = options.columns(t);
        System.out.println("categorical (" + kinds.cats().size() + "): " + BadInputException.listed(kinds.cats(), 20));
        System.out.println("continuous (" + kinds.conts().size() + "): " + BadInputException.listed(kinds.conts(), 20));
        if (!kinds.skipped().isEmpty()) {
            System.out.println("left out (a different value in most rows: ids, names; name them in --cat to use them): "
                    + BadInputException.listed(kinds.skipped(), 20));
        }
        List<String> used = new ArrayList<>(options.dateColumns());
        used.addAll(kinds.cats());
        used.addAll(kinds.conts());
        used.add(options.y);
        String missing = t.missingReport(new LinkedHashSet<>(used));
        if (missing != null) {
            // FillMissing fills continuous ones with the training median (and flags them), #na# is a category
            System.out.println("missing values: " + missing);
        }
        if (kinds.cats().isEmpty() && kinds.conts().isEmpty()) {
            throw BadInputException.inFile(options.csv, "no input columns besides the target " + options.y);
        }
        TabularLearner learn;
        try {
            learn = hyper.apply(options.learner(t, kinds), seed).build();
        } catch (IllegalArgumentException e) {
            throw BadInputException.inFile(options.csv, e.getMessage());
        }
        TabularPipeline p = learn.predictor().pipeline();
        System.out.printf(Locale.ROOT, "target %s: %s; validation: %s: %,d training and %,d validation rows%s; batch size %d%n",
                options.y,
                p.classifier() ? "classification into " + p.classes().size() + " classes " + abbreviate(p.classes())
                        : "regression" + (p.logY() ? " of log(" + options.y + ")" : "") + String.format(Locale.ROOT,
                        ", y_range (%.4g, %.4g)", learn.predictor().spec().yLow(), learn.predictor().spec().yHigh()),
                options.validDescription(seed), learn.trainRows().length, learn.validRows().length,
                learn.droppedRows() == 0 ? "" : String.format(Locale.ROOT, " (%,d rows without a usable target left out)",
                        learn.droppedRows()), learn.batchSize());
        String checksum = Datasets.sha256(options.csv, false);
        return new LoadedTable(t, kinds, learn, checksum);
    }

    private static String abbreviate(List<String> classes) {
        return classes.size() <= 10 ? classes.toString()
                : classes.subList(0, 10).toString().replace("]", ", ... (" + (classes.size() - 10) + " more)]");
    }
}

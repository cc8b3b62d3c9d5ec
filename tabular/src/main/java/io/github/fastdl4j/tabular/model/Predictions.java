package io.github.fastdl4j.tabular.model;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.tabular.data.TabularCsv;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A saved model's predictions written as a file: the lesson's {@code Id,Sales} submission, or one
 * line per row of a user's table (a classifier: the class and each class's probability). Here,
 * beside {@link TabularPredictor}, because what a prediction file holds is the model's answer; the
 * CLI only picks the files. An answer that is not a finite number is refused, one line naming the
 * file, line and column, never written.
 */
public final class Predictions {

    private Predictions() {
    }

    /**
     * The lesson's submission: {@code Id,Sales} for each row of {@code f} (test.csv with the
     * store files' features, read from {@code csv}); closed days sell nothing. Returns the rows written.
     */
    public static int writeSubmission(TabularPredictor m, TabularFrame f, Path csv, Path target) throws IOException {
        double[] sales = m.predict(f);
        double[] id = f.numbers("Id"), open = f.numbers("Open");
        for (int i = 0; i < sales.length; i++) {
            if (!Double.isFinite(sales[i]) && open[i] != 0) {
                throw BadInputException.inFile(csv, String.format(Locale.ROOT, "row Id %d: the model's answer is not a finite "
                        + "number (%s)", (long) id[i], sales[i]));
            }
        }
        AtomicFiles.writeText(target, w -> {
            w.write("Id,Sales\n");
            for (int i = 0; i < sales.length; i++) {
                // closed days sell nothing, whatever the model says
                w.write(String.format(Locale.ROOT, "%d,%.2f%n", (long) id[i], open[i] == 0 ? 0.0 : sales[i]));
            }
        });
        return sales.length;
    }

    /**
     * A model of a user's table: one line per row of {@code t} (read from {@code csv}), named by
     * {@code idCol}'s value or, without one, by the row's line number.
     */
    public static void writeTable(TabularPredictor m, TabularCsv.Table t, Path csv, String idCol, Path target)
            throws IOException {
        TabularPipeline p = m.pipeline();
        String[] ids = idCol != null ? t.csv().texts(idCol) : null;
        String y = p.yName();
        TabularData d = finiteInputs(t, p, csv);
        double[][] probabilities = p.classifier() ? m.probabilities(d) : null;
        double[] values = p.classifier() ? null : m.predictModelScale(d);
        for (int i = 0; i < d.rows(); i++) {
            if (values != null && p.logY()) {
                values[i] = Math.exp(values[i]);
            }
            for (double v : p.classifier() ? probabilities[i] : new double[]{values[i]}) {
                if (!Double.isFinite(v)) {
                    throw BadInputException.at(csv, t.csv().line(i), y, "the model's answer for this row is not a finite number ("
                            + v + "); its inputs are too far from what it was trained on");
                }
            }
        }
        AtomicFiles.writeText(target, w -> {
            try (CSVPrinter csvOut = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
                List<String> header = new ArrayList<>(List.of(idCol != null ? idCol : "line", y));
                if (p.classifier()) {
                    m.classes().forEach(c -> header.add("p_" + c));
                }
                csvOut.printRecord(header);
                if (p.classifier()) {
                    double[][] proba = probabilities;
                    for (int i = 0; i < proba.length; i++) {
                        List<Object> row = new ArrayList<>(List.of(ids != null ? String.valueOf(ids[i])
                                : String.valueOf(t.csv().line(i)), m.classes().get(argMax(proba[i]))));
                        for (double v : proba[i]) {
                            row.add(String.format(Locale.ROOT, "%.4f", v));
                        }
                        csvOut.printRecord(row);
                    }
                } else {
                    double[] v = values;
                    for (int i = 0; i < v.length; i++) {
                        csvOut.printRecord(ids != null ? String.valueOf(ids[i]) : String.valueOf(t.csv().line(i)),
                                String.format(Locale.ROOT, "%.6g", v[i]));
                    }
                }
            }
        });
    }

    /**
     * The rows as the model's inputs, refusing what would make its answer meaningless: a model
     * column holding an infinity or a number beyond the double range (read as missing when
     * training; here the user asked about that value), or a finite value so far from the
     * training rows that it overflows once normalised (age 1e308). Each is one line naming
     * the file, line and column.
     */
    private static TabularData finiteInputs(TabularCsv.Table t, TabularPipeline p, Path csv) {
        for (String c : p.rawColumns()) {
            if (t.csv().has(c) && !t.csv().nonFinite(c).isEmpty()) {
                CsvTable.Cell bad = t.csv().nonFinite(c).get(0);
                throw BadInputException.at(csv, bad.line(), c, "'" + bad.value() + "' is not a finite number");
            }
        }
        TabularData d = p.transform(t.frame());
        List<String> conts = p.contNames();
        for (int i = 0; i < d.rows(); i++) {
            for (int j = 0; j < d.nCont(); j++) {
                if (!Float.isFinite(d.conts()[i * d.nCont() + j])) {
                    String c = conts.get(j);
                    double[] stats = p.normalize().stats().get(c);
                    String raw = t.frame().has(c) ? t.frame().column(c).key(i) : "?";
                    throw BadInputException.at(csv, t.csv().line(i), c, String.format(Locale.ROOT, "%s is too far from the "
                            + "training rows (mean %.4g, std %.4g) for the model's 32-bit inputs", raw, stats[0], stats[1]));
                }
            }
        }
        return d;
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }
}

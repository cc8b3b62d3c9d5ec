package io.github.fastdl4j.serve.tabular;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.serve.http.ApiError;
import io.github.fastdl4j.serve.registry.Served;
import io.github.fastdl4j.serve.vision.Batcher;
import io.github.fastdl4j.tabular.data.Categorify;
import io.github.fastdl4j.tabular.data.Dates;
import io.github.fastdl4j.tabular.data.TabularCsv;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.model.TabularPredictor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * A tabular model behind the API: rows in the training table's raw columns, as {@code tabular
 * predict} reads them (the rows go through the same reader: a CSV body as it is, JSON rows written
 * as CSV first), predictions out, with each class's probability for a classifier. A model of the
 * lesson's Rossmann data takes a day's row (train.csv's or test.csv's columns) and joins the store
 * table it recorded at training ({@link RossmannRows}); one saved before models recorded it answers 422.
 */
public final class TabularServed implements Served {

    /**
     * One row's answer.
     *
     * @param prediction    the class (a classifier) or the value
     * @param probabilities each class's probability (a classifier), else null
     */
    public record Prediction(Object prediction, Map<String, Double> probabilities) {
    }

    private final TabularPredictor model;
    /** Rows of requests arriving together go through one forward pass (a pass costs about the same for 1 row or 100). */
    private final Batcher<TabularData, double[][]> batcher;

    public TabularServed(String id, TabularPredictor model, int maxBatch, long maxWaitMs, IntConsumer batchSizes) {
        this.model = model;
        this.batcher = new Batcher<>("tabular-" + id, maxBatch, maxWaitMs, 1024, this::forward, batchSizes);
    }

    @Override
    public void retire() {
        batcher.close();
    }

    /** One forward pass for the rows of several requests: a classifier's probabilities, or the values (one per row). */
    private List<double[][]> forward(List<TabularData> parts) {
        TabularData first = parts.get(0);
        int real = parts.stream().mapToInt(TabularData::rows).sum();
        int rows = batcher.paddedSize(real); // padded with copies of the first row (see Batcher.paddedSize)
        int[] cats = new int[rows * first.nCat()];
        float[] conts = new float[rows * first.nCont()];
        int at = 0;
        for (TabularData d : parts) {
            System.arraycopy(d.cats(), 0, cats, at * first.nCat(), d.rows() * first.nCat());
            System.arraycopy(d.conts(), 0, conts, at * first.nCont(), d.rows() * first.nCont());
            at += d.rows();
        }
        for (; at < rows; at++) {
            System.arraycopy(first.cats(), 0, cats, at * first.nCat(), first.nCat());
            System.arraycopy(first.conts(), 0, conts, at * first.nCont(), first.nCont());
        }
        TabularData all = new TabularData(rows, first.nCat(), cats, first.nCont(), conts, null);
        double[][] out;
        if (model.pipeline().classifier()) {
            out = model.probabilities(all);
        } else {
            double[] v = model.predictModelScale(all);
            out = new double[rows][];
            for (int i = 0; i < rows; i++) {
                out[i] = new double[]{model.pipeline().logY() ? Math.exp(v[i]) : v[i]};
            }
        }
        List<double[][]> split = new ArrayList<>();
        at = 0;
        for (TabularData d : parts) {
            split.add(Arrays.copyOfRange(out, at, at + d.rows()));
            at += d.rows();
        }
        return split;
    }

    @Override
    public String module() {
        return "tabular";
    }

    @Override
    public String kind() {
        return model.pipeline().classifier() ? "classifier" : "regression";
    }

    public TabularPredictor model() {
        return model;
    }

    /** Whether this is a model of the lesson's Rossmann data (rows joined with its store table). */
    public boolean lesson() {
        return !TabularPipeline.CSV.equals(model.pipeline().preset());
    }

    /** The raw columns a row needs. */
    public List<String> columns() {
        return lesson() ? RossmannRows.COLUMNS : model.pipeline().rawColumns();
    }

    /** The form a client fills: each raw column as a category (with its choices), a number or a date. */
    public List<Map<String, Object>> fields() {
        TabularPipeline p = model.pipeline();
        if (lesson()) {
            return RossmannRows.fields();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String c : p.rawColumns()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", c);
            if (p.dateParts().contains(c)) {
                f.put("type", "date");
            } else if (p.catNames().contains(c)) {
                f.put("type", "category");
                f.put("choices", p.categorify().vocab(c).stream().filter(v -> !v.equals(Categorify.NA)).toList());
            } else {
                f.put("type", "number");
            }
            out.add(f);
        }
        return out;
    }

    /** What the rows are called in messages ({@code rows:2: field 'age': ...}), as a file's name is in the CLI's. */
    private static final Path ROWS = Path.of("rows");

    /** Predicts the rows of a CSV text (a header line first); {@code separator} null guesses it, as the CLI does. */
    public List<Prediction> predictCsv(String csv, String separator) {
        if (lesson() && model.stores() == null) {
            throw ApiError.unprocessable("this model of the lesson's Rossmann data was saved before models recorded their store "
                    + "table: retrain it to serve it, or use tabular predict with the store files");
        }
        if (lesson()) {
            return predictLessonRows(csv);
        }
        TabularPipeline p = model.pipeline();
        CompletableFuture<double[][]> answer;
        try (Batcher<TabularData, double[][]>.Arrival arrival = batcher.arriving()) {
            // read in memory by the CLI's reader (a temporary file per request cost more than the forward pass)
            TabularCsv.Table t = TabularCsv.read(ROWS, csv, CsvTable.Format.csv().separator(separator), p.dateParts(),
                    Dates.of(p.dateFormat()));
            t.require(p.rawColumns(), "the model was trained on it");
            for (String c : p.contNames()) {
                if (t.csv().has(c)) {
                    t.requireNumbers(c, "a continuous column of the model");
                }
            }
            answer = arrival.submit(p.transform(t.frame()));
        } catch (BadInputException | IllegalArgumentException e) {
            throw ApiError.unprocessable(e.getMessage());
        }
        double[][] answers = Batcher.await(answer);
        List<Prediction> out = new ArrayList<>();
        if (p.classifier()) {
            for (double[] row : answers) {
                Map<String, Double> m = new LinkedHashMap<>();
                int best = 0;
                for (int j = 0; j < row.length; j++) {
                    m.put(model.classes().get(j), row[j]);
                    if (row[j] > row[best]) {
                        best = j;
                    }
                }
                out.add(new Prediction(model.classes().get(best), m));
            }
        } else {
            for (double[] v : answers) {
                out.add(new Prediction(v[0], null));
            }
        }
        return out;
    }

    /**
     * A model of the lesson's Rossmann data: the rows go through the lesson's own reader and
     * features (a file, as {@code tabular predict} reads one), joined with the recorded store table.
     */
    private List<Prediction> predictLessonRows(String csv) {
        Path dir = null;
        Path file = null;
        try {
            dir = Files.createTempDirectory("fastdl4j-serve-rows");
            file = dir.resolve("rows.csv");
            Files.writeString(file, csv, StandardCharsets.UTF_8);
            RossmannRows.Rows r = RossmannRows.read(model, file);
            double[][] answers = Batcher.await(batcher.submit(r.data()));
            List<Prediction> out = new ArrayList<>();
            for (int i = 0; i < answers.length; i++) {
                out.add(new Prediction(r.open()[i] == 0 ? 0.0 : answers[i][0], null)); // closed days sell nothing, as predict writes
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
                if (dir != null) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException ignored) {
                // a temporary file left behind; the system's temp cleaning takes it
            }
        }
    }
}

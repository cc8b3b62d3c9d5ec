package io.github.fastdl4j.tabular.interpret;

import io.github.fastdl4j.common.interpret.Charts;
import io.github.fastdl4j.common.interpret.Pca;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.tabular.data.Categorify;
import io.github.fastdl4j.tabular.data.GermanStates;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the entity embeddings learned: PCA of a column's embedding to 2D (charts for states, days
 * of week, months, store types), the embeddings exported as CSV, and how well the states'
 * embedding distances follow their geographic distances (Spearman rank correlation over all pairs).
 */
public final class EmbeddingInterpretation {

    /** The columns charted by {@link #writeCharts}. */
    public static final List<String> CHARTED = List.of("State", "DayOfWeek", "Month", "StoreType");

    /** A column's embedding rows for the values seen in training (#na# left out). */
    public record Embedding(String column, List<String> labels, double[][] vectors) {
    }

    /** Rank correlation of embedding distance with geographic distance over all state pairs. */
    public record Geography(int states, int pairs, double spearman) {
    }

    private final TabularPredictor model;

    public EmbeddingInterpretation(TabularPredictor model) {
        if (model.spec().oneHot()) {
            throw new IllegalArgumentException("a one-hot model has no learned embeddings to interpret");
        }
        this.model = model;
    }

    public boolean has(String column) {
        return model.spec().catNames().contains(column);
    }

    public Embedding embedding(String column) {
        if (!has(column)) {
            throw new IllegalArgumentException("the model has no categorical column " + column);
        }
        List<String> vocab = model.pipeline().categorify().vocab(column);
        INDArray w = model.embedding(column);
        List<String> labels = new ArrayList<>();
        double[][] v = new double[vocab.size() - 1][];
        for (int i = 1; i < vocab.size(); i++) {
            labels.add(vocab.get(i));
            v[i - 1] = w.getRow(i).toDoubleVector();
        }
        return new Embedding(column, labels, v);
    }

    /** The 2D PCA of a column's embedding (needs at least 3 values). */
    public Pca.Result pca(String column) {
        return Pca.fit(embedding(column).vectors(), 2);
    }

    /** The state embeddings against the states' positions; null when the model has no State column. */
    public Geography stateGeography() {
        if (!has("State")) {
            return null;
        }
        Embedding e = embedding("State");
        List<double[]> vecs = new ArrayList<>();
        List<GermanStates.State> states = new ArrayList<>();
        for (int i = 0; i < e.labels().size(); i++) {
            GermanStates.State s = GermanStates.of(e.labels().get(i));
            if (s != null) {
                states.add(s);
                vecs.add(e.vectors()[i]);
            }
        }
        if (states.size() < 3) {
            return null;
        }
        List<Double> emb = new ArrayList<>(), geo = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            for (int j = i + 1; j < states.size(); j++) {
                emb.add(euclid(vecs.get(i), vecs.get(j)));
                geo.add(GermanStates.distanceKm(states.get(i), states.get(j)));
            }
        }
        double rho = new SpearmansCorrelation().correlation(emb.stream().mapToDouble(Double::doubleValue).toArray(),
                geo.stream().mapToDouble(Double::doubleValue).toArray());
        return new Geography(states.size(), emb.size(), rho);
    }

    static double euclid(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** PCA charts of the {@link #CHARTED} columns the model has, as {@code embedding_<column>.png}. */
    public List<Path> writeCharts(Path dir) throws IOException {
        return writeCharts(dir, CHARTED);
    }

    /**
     * PCA charts of {@code columns} (those the model has, with 3 to 60 values, at most 8 charts: a
     * chart of hundreds of labels says nothing), as {@code embedding_<column>.png}.
     */
    public List<Path> writeCharts(Path dir, List<String> columns) throws IOException {
        List<Path> written = new ArrayList<>();
        for (String c : columns) {
            if (!has(c) || written.size() >= 8) {
                continue;
            }
            Embedding e = embedding(c);
            if (e.labels().size() < 3 || e.labels().size() > 60) {
                continue;
            }
            Pca.Result p = Pca.fit(e.vectors(), 2);
            double[] x = new double[e.labels().size()], y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = p.projected()[i][0];
                y[i] = p.projected()[i][1];
            }
            Path png = dir.resolve("embedding_" + fileName(c) + ".png");
            Charts.scatter(png, String.format(Locale.ROOT, "%s embedding, PCA (%.0f%% + %.0f%% of variance)", c,
                            100 * p.explainedVarianceRatio()[0], 100 * p.explainedVarianceRatio()[1]),
                    "PC1", "PC2", x, y, e.labels());
            written.add(png);
        }
        return written;
    }

    /**
     * A column's name as a file name: letters, digits, '-', '_' and '.' kept, anything else '_'
     * (a user's column may be called "../x" or "a/b"), with a short hash when anything changed so
     * two columns never share a file.
     */
    static String fileName(String column) {
        String safe = column.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "_" + safe;
        }
        if (safe.length() > 80) {
            safe = safe.substring(0, 80);
        }
        return safe.equals(column) ? safe : safe + "-" + Integer.toHexString(column.hashCode());
    }

    /** Every embedding as {@code <dir>/<column>.csv}: value, then the vector (for use as features elsewhere). */
    public void export(Path dir) throws IOException {
        for (String c : model.spec().catNames()) {
            List<String> vocab = model.pipeline().categorify().vocab(c);
            INDArray w = model.embedding(c);
            AtomicFiles.writeText(dir.resolve(fileName(c) + ".csv"), out -> {
                try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
                    List<String> header = new ArrayList<>(List.of(c));
                    for (int k = 0; k < w.columns(); k++) {
                        header.add("e" + k);
                    }
                    p.printRecord(header);
                    for (int i = 0; i < vocab.size(); i++) {
                        List<Object> row = new ArrayList<>(List.of(Categorify.NA.equals(vocab.get(i)) ? "" : vocab.get(i)));
                        for (double d : w.getRow(i).toDoubleVector()) {
                            row.add(String.format(Locale.ROOT, "%.6g", d));
                        }
                        p.printRecord(row);
                    }
                }
            });
        }
    }
}

package io.github.fastdl4j.tabular.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.module.Loss;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.ModelSize;
import io.github.fastdl4j.common.train.ModuleModel;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.train.Trainable;
import io.github.fastdl4j.tabular.data.StoreTable;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import io.github.fastdl4j.tabular.data.TransformProcessExport;
import org.datavec.api.transform.TransformProcess;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongBinaryOperator;

/**
 * A tabular model with everything needed to predict from raw rows: the fitted
 * {@link TabularPipeline}, the {@link TabularSpec} and the network (the from-scratch
 * {@link TabularNet} or DL4J's graph, as the spec says). Saved as one zip (the weights,
 * {@code pipeline.json}, {@code spec.json}, {@code provenance.json}).
 */
public final class TabularPredictor {

    private static final int BATCH = 4096;

    private final TabularPipeline pipeline;
    private final TabularSpec spec;
    private final Trainable model;
    /** The Rossmann store table the model was trained with (the lesson's data), else null. */
    private final StoreTable stores;

    private TabularPredictor(TabularPipeline pipeline, TabularSpec spec, Trainable model,
                             StoreTable stores) {
        this.pipeline = pipeline;
        this.spec = spec;
        this.model = model;
        this.stores = stores;
    }

    /** This model (the same network) recording the store table its rows are joined with; saved in model.zip. */
    public TabularPredictor withStores(StoreTable table) {
        return new TabularPredictor(pipeline, spec, model, table);
    }

    /** The store table a model of the lesson's data recorded at training, or null (a --csv model, or one saved before). */
    public StoreTable stores() {
        return stores;
    }

    /** A fresh, untrained network for this spec and its pipeline. */
    public static TabularPredictor create(TabularPipeline pipeline, TabularSpec spec) {
        return new TabularPredictor(pipeline, spec, network(spec), null);
    }

    /** The spec's network: DL4J's graph ({@code dl4jLayers}) or the from-scratch {@link TabularNet}. */
    private static Trainable network(TabularSpec spec) {
        ModelSize.check(parameterCount(spec), String.format(Locale.ROOT,
                "the tabular model (%,d categorical columns, %,d embedding values wide, %,d continuous, layers %s)",
                spec.catNames().size(), spec.embeddingWidth(), spec.nCont(), spec.layers()),
                "name fewer columns (--cat, --cont, a lower --max-card) or smaller --layers, or raise both in JAVA_OPTS");
        return spec.dl4jLayers() ? TabularGraph.model(spec)
                : new ModuleModel(new TabularNet(spec, DataType.FLOAT), spec.classifier() ? Losses.crossEntropyOnLogits() : Losses.mse(),
                        AdamW.factory());
    }

    /**
     * The training loss of the network: MSE for a regression; softmax cross-entropy for a
     * classifier, on what the network outputs (TabularNet's logits, DL4J's softmax probabilities).
     */
    public Loss loss() {
        return spec.classifier() ? Losses.crossEntropy(model) : Losses.mse();
    }

    public TabularPipeline pipeline() {
        return pipeline;
    }

    public TabularSpec spec() {
        return spec;
    }

    /** What the training loop drives. */
    public Trainable trainable() {
        return model;
    }

    /** A column's embedding matrix (rows = vocabulary, #na# first). */
    public INDArray embedding(String column) {
        if (!spec.catNames().contains(column)) {
            throw new IllegalArgumentException("no categorical column " + column);
        }
        String name = TabularGraph.embeddingLayer(column);
        // the from-scratch net's one-hot codes have no table (DL4J's graph holds a frozen identity)
        return model.weightNames().contains(name) ? model.weights(name) : null;
    }

    /** Predictions on the target's own scale (sales, not log sales) for raw rows of a regression model. */
    public double[] predict(TabularFrame raw) {
        if (spec.classifier()) {
            throw new IllegalStateException("a classifier predicts classes: use predictProbabilities");
        }
        double[] p = predictModelScale(pipeline.transform(raw));
        if (pipeline.logY()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.exp(p[i]);
            }
        }
        return p;
    }

    /** The network's outputs (log sales when the pipeline takes logs) for processed rows, in batches. */
    public double[] predictModelScale(TabularData d) {
        if (spec.classifier()) {
            throw new IllegalStateException("a classifier predicts classes: use probabilities");
        }
        double[] out = new double[d.rows()];
        for (int from = 0; from < d.rows(); from += BATCH) {
            int to = Math.min(d.rows(), from + BATCH);
            System.arraycopy(model.predict(inputs(d, from, to)).reshape(to - from).toDoubleVector(), 0, out, from, to - from);
        }
        return out;
    }

    /** A classifier's class probabilities for raw rows: {@code [row][class]}, classes in {@link #classes()} order. */
    public double[][] predictProbabilities(TabularFrame raw) {
        return probabilities(pipeline.transform(raw));
    }

    /** A classifier's class probabilities for processed rows, in batches (softmax of the logits). */
    public double[][] probabilities(TabularData d) {
        if (!spec.classifier()) {
            throw new IllegalStateException("a regression model predicts values: use predict");
        }
        double[][] out = new double[d.rows()][];
        for (int from = 0; from < d.rows(); from += BATCH) {
            int to = Math.min(d.rows(), from + BATCH);
            INDArray p = Losses.probabilities(model, model.predict(inputs(d, from, to)));
            double[][] rows = p.castTo(DataType.DOUBLE).toDoubleMatrix();
            System.arraycopy(rows, 0, out, from, to - from);
        }
        return out;
    }

    /** A classifier's classes (the logits' order); empty for a regression model. */
    public List<String> classes() {
        return spec.classes();
    }

    /** The network's inputs for rows {@code from..to}: one array per categorical column, then the continuous block. */
    public static INDArray[] inputs(TabularData d, int from, int to) {
        List<INDArray> in = new ArrayList<>();
        for (int j = 0; j < d.nCat(); j++) {
            in.add(Nd4j.create(d.catColumn(j, from, to), new long[]{to - from, 1}, DataType.FLOAT));
        }
        if (d.nCont() > 0) {
            float[] x = Arrays.copyOfRange(d.conts(), from * d.nCont(), to * d.nCont());
            in.add(Nd4j.create(x, new long[]{to - from, d.nCont()}, DataType.FLOAT));
        }
        return in.toArray(INDArray[]::new);
    }

    /** Writes the zip atomically. */
    public void save(Path file, Provenance provenance) throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("pipeline", pipeline);
        entries.put("spec", spec);
        entries.put("provenance", provenance);
        TransformProcess tp = transformProcess();
        if (tp != null) {
            entries.put(TRANSFORM_PROCESS, ModelArchive.JSON.readTree(tp.toJson()));
        }
        if (stores != null) {
            entries.put(STORES, stores);
        }
        ModelArchive.write(file, model, entries);
    }

    /** The entry (with {@code .json}) holding the store table of a model of the lesson's data. */
    public static final String STORES = "stores";

    /** The entry (with {@code .json}) holding the DataVec export of the preprocessing. */
    public static final String TRANSFORM_PROCESS = "transform_process";

    /**
     * The preprocessing as a DataVec {@code TransformProcess} over the training table's columns
     * ({@link io.github.fastdl4j.tabular.data.TransformProcessExport}); null for the lesson's
     * features (built in Java from several files) and for date parts, which DataVec cannot express.
     */
    public TransformProcess transformProcess() {
        if (!TabularPipeline.CSV.equals(pipeline.preset()) || pipeline.sourceColumns().isEmpty()) {
            return null;
        }
        return TransformProcessExport.of(pipeline, pipeline.sourceColumns());
    }

    /**
     * Loads a zip written by {@link #save}: the network is rebuilt from the spec (checked against
     * the pipeline and the zip's size first) and reads its own weights.
     */
    public static TabularPredictor load(Path file) {
        ModelArchive a = ModelArchive.open(file);
        a.requireJob("tabular", "pipeline");
        requireFields(a, "pipeline", "catNames", "contNames", "fillMissing", "categorify", "normalize");
        requireFields(a, "spec", "catNames", "cardinalities", "embSizes", "nCont", "layers", "ps", "embDrop", "yLow", "yHigh",
                "oneHot", "seed");
        TabularPipeline pipeline = a.json("pipeline", TabularPipeline.class);
        TabularSpec spec = a.json("spec", TabularSpec.class);
        checkSpec(file, spec, pipeline, a.totalBytes());
        // transform_process.json is for DL4J users' pipelines: allowed, never read here
        StoreTable stores = null;
        if (a.has(STORES)) {
            if (!TabularPipeline.ROSSMANN.equals(pipeline.preset())) {
                throw BadInputException.inFile(file, "entry " + STORES + ".json belongs to a model of the lesson's data only");
            }
            try {
                stores = a.json(STORES, StoreTable.class);
            } catch (IllegalArgumentException e) {
                throw BadInputException.inFile(file, "entry " + STORES + ".json: " + BadInputException.oneLine(String.valueOf(e.getMessage())));
            }
            if (stores == null) {
                throw BadInputException.inFile(file, "entry " + STORES + ".json holds no store table");
            }
        }
        Trainable t = a.loadInto(network(spec), Set.of("pipeline", "spec", "provenance", TRANSFORM_PROCESS, STORES));
        return new TabularPredictor(pipeline, spec, t, stores);
    }

    /**
     * Refuses a JSON entry that lacks one of {@code fields} (or holds null there), naming the file,
     * the entry and the field, before binding it: a record's constructor would otherwise fail on
     * the null with a NullPointerException's text. Fields added later (a spec's classes) are not required.
     */
    private static void requireFields(ModelArchive a, String key, String... fields) {
        JsonNode n = a.json(key);
        if (!n.isObject()) {
            throw BadInputException.inFile(a.file(), "entry " + key + ".json is not a JSON object");
        }
        for (String f : fields) {
            if (!n.hasNonNull(f)) {
                throw BadInputException.inFile(a.file(), "entry " + key + ".json lacks field '" + f + "'");
            }
        }
    }

    /** About how many parameters the spec's network has: embeddings and dense layers (saturating). */
    static long parameterCount(TabularSpec spec) {
        LongBinaryOperator mul = ModelSize::multiply;
        long total = 0;
        for (int j = 0; j < spec.catNames().size(); j++) {
            total = sat(total + mul.applyAsLong(spec.cardinalities().get(j), spec.oneHot() ? 1 : spec.embSizes().get(j)));
        }
        long in = (long) spec.embeddingWidth() + spec.nCont();
        for (int width : spec.layers()) {
            total = sat(total + sat(mul.applyAsLong(in, width) + 3L * width));
            in = width;
        }
        return sat(total + mul.applyAsLong(in + 1, spec.nOut()));
    }

    private static long sat(long v) {
        return v < 0 ? Long.MAX_VALUE : v;
    }

    private static void checkSpec(Path file, TabularSpec spec, TabularPipeline pipeline, long archiveBytes) {
        long values = spec.nCont();
        boolean ok = spec.nCont() >= 0 && spec.nCont() <= 100_000 && spec.layers().stream().allMatch(l -> l != null && l >= 1)
                && spec.classes().size() <= 100_000 && spec.classes().stream().allMatch(Objects::nonNull)
                && spec.classes().stream().distinct().count() == spec.classes().size()
                && spec.ps().stream().allMatch(p -> p != null && p >= 0 && p < 1) && spec.embDrop() >= 0 && spec.embDrop() < 1;
        for (int j = 0; ok && j < spec.catNames().size(); j++) {
            Integer card = spec.cardinalities().get(j);
            Integer size = spec.embSizes().get(j);
            ok = card != null && size != null && card >= 1 && size >= 1 && size <= 100_000;
            values += ok ? (long) card * (spec.oneHot() ? 1 : size) : 0;
        }
        if (!ok || !pipeline.describes(spec)) {
            throw BadInputException.inFile(file, "entries spec.json and pipeline.json describe no valid model");
        }
        values = parameterCount(spec);
        if (ModelSize.multiply(values, 4) > archiveBytes) {
            throw BadInputException.inFile(file, "entry spec.json describes a model of about " + values
                    + " values, more than the zip's " + archiveBytes + " bytes can hold");
        }
        if (!(Double.isFinite(spec.yLow()) && Double.isFinite(spec.yHigh()) && spec.yLow() < spec.yHigh()
                && Math.abs(spec.yLow()) < 1e6 && Math.abs(spec.yHigh()) < 1e6)) {
            throw BadInputException.inFile(file, "entry spec.json has an invalid y range (" + spec.yLow() + ", " + spec.yHigh() + ")");
        }
    }

    /** The provenance saved with a model. */
    public static Provenance provenance(Path file) {
        return ModelArchive.open(file).json("provenance", Provenance.class);
    }
}

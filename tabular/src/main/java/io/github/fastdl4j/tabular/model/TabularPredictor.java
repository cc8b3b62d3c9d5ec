package io.github.fastdl4j.tabular.model;

import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.ModuleModel;
import io.github.fastdl4j.common.train.NetworkModel;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.train.Trainable;
import io.github.fastdl4j.tabular.data.TabularData;
import io.github.fastdl4j.tabular.data.TabularFrame;
import io.github.fastdl4j.tabular.data.TabularPipeline;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tabular model with everything needed to predict from raw rows: the fitted
 * {@link TabularPipeline}, the {@link TabularModel.Spec} and the network (the from-scratch
 * {@link TabularNet} or DL4J's graph, as the spec says). Saved as one zip (the weights,
 * {@code pipeline.json}, {@code spec.json}, {@code provenance.json}).
 */
public final class TabularPredictor {

    private static final int BATCH = 4096;

    private final TabularPipeline pipeline;
    private final TabularModel.Spec spec;
    private final Trainable model;

    private TabularPredictor(TabularPipeline pipeline, TabularModel.Spec spec, Trainable model) {
        this.pipeline = pipeline;
        this.spec = spec;
        this.model = model;
    }

    /** A fresh, untrained network for this spec and its pipeline. */
    public static TabularPredictor create(TabularPipeline pipeline, TabularModel.Spec spec) {
        Trainable t = spec.dl4jLayers() ? new NetworkModel(TabularModel.build(spec))
                : new ModuleModel(new TabularNet(spec, DataType.FLOAT), Losses.mse());
        return new TabularPredictor(pipeline, spec, t);
    }

    public TabularPipeline pipeline() {
        return pipeline;
    }

    public TabularModel.Spec spec() {
        return spec;
    }

    /** What the training loop drives. */
    public Trainable trainable() {
        return model;
    }

    /** A column's embedding matrix (rows = vocabulary, #na# first). */
    public INDArray embedding(String column) {
        if (model instanceof ModuleModel m) {
            return ((TabularNet) m.module()).embedding(column);
        }
        return TabularModel.embedding((ComputationGraph) ((NetworkModel) model).network(), column);
    }

    /** Predictions on the target's own scale (sales, not log sales) for raw rows. */
    public double[] predict(TabularFrame raw) {
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
        double[] out = new double[d.rows()];
        for (int from = 0; from < d.rows(); from += BATCH) {
            int to = Math.min(d.rows(), from + BATCH);
            System.arraycopy(model.predict(inputs(d, from, to)).reshape(to - from).toDoubleVector(), 0, out, from, to - from);
        }
        return out;
    }

    /** The network's inputs for rows {@code from..to}: one array per categorical column, then the continuous block. */
    public static INDArray[] inputs(TabularData d, int from, int to) {
        List<INDArray> in = new ArrayList<>();
        for (int j = 0; j < d.nCat(); j++) {
            in.add(Nd4j.create(d.catColumn(j, from, to), new long[]{to - from, 1}, DataType.FLOAT));
        }
        if (d.nCont() > 0) {
            float[] x = java.util.Arrays.copyOfRange(d.conts(), from * d.nCont(), to * d.nCont());
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
        ModelArchive.write(file, model, entries);
    }

    /** Loads a zip written by {@link #save}. */
    public static TabularPredictor load(Path file) {
        ModelArchive a = ModelArchive.open(file);
        TabularPipeline pipeline = a.json("pipeline", TabularPipeline.class);
        TabularModel.Spec spec = a.json("spec", TabularModel.Spec.class);
        if (spec.dl4jLayers()) {
            return new TabularPredictor(pipeline, spec, new NetworkModel(a.computationGraph()));
        }
        TabularNet net = a.loadParameters(new TabularNet(spec, DataType.FLOAT));
        return new TabularPredictor(pipeline, spec, new ModuleModel(net, Losses.mse()));
    }

    /** The provenance saved with a model. */
    public static Provenance provenance(Path file) {
        return ModelArchive.open(file).json("provenance", Provenance.class);
    }
}

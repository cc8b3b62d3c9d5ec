package io.github.fastdl4j.common.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A DL4J {@link MultiLayerNetwork} or {@link ComputationGraph} trained step by step by the
 * {@link Learner}. The learning rate and beta1 are written into the layers' Adam configurations
 * before each step (ND4J's updaters read them at every step), and weight decay is applied by us,
 * decoupled, to weight arrays ({@code W}) only, like fastai leaves biases and batchnorm alone.
 * So configure the network with Adam and without DL4J regularisation.
 */
public final class NetworkModel implements Trainable {

    /** Zip entry holding the DL4J network (ModelSerializer format). */
    public static final String NETWORK_ENTRY = "network.zip";

    private final Model net;
    private final List<IUpdater> updaters = new ArrayList<>();
    private final List<INDArray> decayed = new ArrayList<>();
    private double lastLr = Double.NaN;
    private double lastBeta1 = Double.NaN;

    public NetworkModel(MultiLayerNetwork net) {
        this((Model) net);
    }

    public NetworkModel(ComputationGraph net) {
        this((Model) net);
    }

    private NetworkModel(Model net) {
        this.net = net;
        Layer[] layers = net instanceof MultiLayerNetwork m ? m.getLayers() : ((ComputationGraph) net).getLayers();
        Set<IUpdater> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer l : layers) {
            if (l.conf() != null && l.conf().getLayer() instanceof BaseLayer bl) {
                for (String key : l.paramTable().keySet()) {
                    IUpdater u = bl.getUpdaterByParam(key);
                    // NoOp: batchnorm's running statistics, which no learning rate touches
                    if (u != null && !(u instanceof org.nd4j.linalg.learning.config.NoOp) && seen.add(u)) {
                        updaters.add(u);
                    }
                }
            }
            if (l instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop
                    || l instanceof org.deeplearning4j.nn.layers.FrozenLayer) {
                continue; // fixed weights (e.g. the ones that sum a dot product) must not decay
            }
            for (Map.Entry<String, INDArray> e : l.paramTable().entrySet()) {
                if (e.getKey().equals("W") || e.getKey().equals("RW")) {
                    decayed.add(e.getValue());
                }
            }
        }
    }

    /** The DL4J network. */
    public Model network() {
        return net;
    }

    @Override
    public double trainStep(MultiDataSet batch, StepSettings s) {
        setHyperParameters(s.lr(), s.beta1());
        if (net instanceof MultiLayerNetwork m) {
            m.fit(new DataSet(batch.getFeatures(0), batch.getLabels(0),
                    batch.getFeaturesMaskArray(0), batch.getLabelsMaskArray(0)));
        } else {
            ((ComputationGraph) net).fit(batch);
        }
        if (s.wd() != 0) {
            double keep = 1 - s.lr() * s.wd();
            for (INDArray w : decayed) {
                w.muli(keep);
            }
        }
        return net.score();
    }

    private void setHyperParameters(double lr, double beta1) {
        if (lr == lastLr && beta1 == lastBeta1) {
            return;
        }
        boolean allAdam = true;
        for (IUpdater u : updaters) {
            if (u instanceof Adam a) {
                a.setLearningRate(lr);
                a.setBeta1(beta1);
            } else {
                allAdam = false;
            }
        }
        if (!allAdam) {
            if (net instanceof MultiLayerNetwork m) {
                m.setLearningRate(lr);
            } else {
                ((ComputationGraph) net).setLearningRate(lr);
            }
        }
        lastLr = lr;
        lastBeta1 = beta1;
    }

    @Override
    public INDArray predict(INDArray[] features) {
        if (net instanceof MultiLayerNetwork m) {
            return m.output(features[0], false);
        }
        return ((ComputationGraph) net).output(false, features)[0];
    }

    @Override
    public Object snapshot() {
        INDArray state = updaterState();
        return new INDArray[]{net.params().dup(), state == null ? null : state.dup()};
    }

    @Override
    public void restore(Object snapshot) {
        INDArray[] s = (INDArray[]) snapshot;
        net.params().assign(s[0]);
        INDArray state = updaterState();
        if (state != null && s[1] != null) {
            state.assign(s[1]);
        }
    }

    private INDArray updaterState() {
        if (net instanceof MultiLayerNetwork m) {
            return m.getUpdater() == null ? null : m.getUpdater().getStateViewArray();
        }
        ComputationGraph g = (ComputationGraph) net;
        return g.getUpdater() == null ? null : g.getUpdater().getStateViewArray();
    }

    @Override
    public void writeTo(ZipOutputStream zip) throws IOException {
        zip.putNextEntry(new ZipEntry(NETWORK_ENTRY));
        // ModelSerializer closes the stream it is given: shield the zip.
        OutputStream shield = new java.io.FilterOutputStream(zip) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        ModelSerializer.writeModel(net, shield, true);
        zip.closeEntry();
    }

    @Override
    public String describe() {
        return net.getClass().getSimpleName() + " (DL4J, " + net.numParams() + " parameters)";
    }
}

package io.github.fastdl4j.common.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.train.ModelSummary;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.Trainable;
import org.nd4j.linalg.learning.config.NoOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A DL4J {@link MultiLayerNetwork} or {@link ComputationGraph} trained step by step by the
 * {@link io.github.fastdl4j.common.train.Learner}: the DL4J side of the {@link Trainable} seam. The learning rate and beta1 are written into the layers' Adam configurations
 * before each step (ND4J's updaters read them at every step), and weight decay is applied by us,
 * decoupled, to weight arrays ({@code W}) only, like fastai leaves biases and batchnorm alone.
 * So configure the network with Adam and without DL4J regularisation.
 */
public final class NetworkModel implements Trainable {

    /** Zip entries: the flattened parameters, the updater state, DL4J's configuration (written only). */
    static final String PARAMS_ENTRY = "network/params.npy";
    static final String UPDATER_ENTRY = "network/updater.npy";
    static final String CONFIGURATION_ENTRY = "network/configuration.json";
    static final String COUNTS_ENTRY = "optimizer/dl4j";
    /** fastdl4j 0.1's entry: the network in DL4J's ModelSerializer format. */
    static final String LEGACY_ENTRY = "network.zip";

    private final Model net;
    private final List<IUpdater> updaters = new ArrayList<>();
    private final List<INDArray> decayed = new ArrayList<>();
    private double lastLr = Double.NaN;
    private double lastBeta1 = Double.NaN;
    /** Plain weight names (what callers ask {@link #weights} for) to DL4J's {@code layer/param} keys. */
    private final Map<String, String> weightNames;

    /** A network whose weights no caller reads by name. */
    public NetworkModel(MultiLayerNetwork net) {
        this((Model) net, Map.of());
    }

    /** A graph whose weights no caller reads by name. */
    public NetworkModel(ComputationGraph net) {
        this((Model) net, Map.of());
    }

    /**
     * A graph whose weights callers read by plain name: {@code weightNames} maps each such name
     * (e.g. {@code movie_factors}) to DL4J's {@code layer/param} key (e.g. {@code movie_factors/W}),
     * registered where the graph is built so that nothing above it spells DL4J's keys.
     */
    public NetworkModel(ComputationGraph net, Map<String, String> weightNames) {
        this((Model) net, weightNames);
    }

    /** The weight matrix ({@code W}) of each named layer, under the layer's name. */
    public static Map<String, String> layerWeights(String... layers) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : layers) {
            m.put(l, l + "/W");
        }
        return Collections.unmodifiableMap(m);
    }

    private NetworkModel(Model net, Map<String, String> weightNames) {
        this.net = net;
        this.weightNames = Map.copyOf(weightNames);
        for (Map.Entry<String, String> e : this.weightNames.entrySet()) {
            dl4jWeights(e.getValue()); // a wrong registration fails here, where the graph is built
        }
        Layer[] layers = net instanceof MultiLayerNetwork m ? m.getLayers() : ((ComputationGraph) net).getLayers();
        Set<IUpdater> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Layer l : layers) {
            if (l.conf() != null && l.conf().getLayer() instanceof BaseLayer bl) {
                for (String key : l.paramTable().keySet()) {
                    IUpdater u = bl.getUpdaterByParam(key);
                    // NoOp: batchnorm's running statistics, which no learning rate touches
                    if (u != null && !(u instanceof NoOp) && seen.add(u)) {
                        updaters.add(u);
                    }
                }
            }
            if (l instanceof FrozenLayerWithBackprop
                    || l instanceof FrozenLayer) {
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

    /** Whether every output layer's activation is a softmax (DL4J's MCXENT outputs are). */
    @Override
    public boolean outputsProbabilities() {
        List<Layer> outs = new ArrayList<>();
        if (net instanceof MultiLayerNetwork m) {
            outs.add(m.getOutputLayer());
        } else {
            ComputationGraph g = (ComputationGraph) net;
            for (String name : g.getConfiguration().getNetworkOutputs()) {
                outs.add(g.getLayer(name));
            }
        }
        for (Layer l : outs) {
            org.deeplearning4j.nn.conf.layers.Layer c = l == null ? null : l.conf().getLayer();
            IActivation a = c instanceof BaseLayer b ? b.getActivationFn()
                    : c instanceof LossLayer loss ? loss.getActivationFn() : null;
            if (!(a instanceof ActivationSoftmax)) {
                return false;
            }
        }
        return !outs.isEmpty();
    }

    @Override
    public Trainable.Snapshot snapshot() {
        INDArray state = updaterState();
        return new NetworkSnapshot(net.params().dup(), state == null ? null : state.dup());
    }

    @Override
    public void restore(Trainable.Snapshot snapshot) {
        if (!(snapshot instanceof NetworkSnapshot s)) {
            throw new IllegalArgumentException("not a DL4J network's snapshot: " + snapshot);
        }
        net.params().assign(s.params());
        INDArray state = updaterState();
        if (state != null && s.updaterState() != null) {
            state.assign(s.updaterState());
        }
    }

    /** The flat parameter array and the updater's state (null when the network has no updater yet). */
    private record NetworkSnapshot(INDArray params, INDArray updaterState) implements Trainable.Snapshot {
    }

    private INDArray updaterState() {
        if (net instanceof MultiLayerNetwork m) {
            return m.getUpdater() == null ? null : m.getUpdater().getStateViewArray();
        }
        ComputationGraph g = (ComputationGraph) net;
        return g.getUpdater() == null ? null : g.getUpdater().getStateViewArray();
    }

    /**
     * Writes {@code network/params.npy} (all parameters, flattened as DL4J keeps them),
     * {@code network/updater.npy} (the Adam moments) and {@code network/configuration.json} (DL4J's
     * configuration, for DL4J users to rebuild the network; never read back: the loader rebuilds
     * the network from the model's own spec).
     */
    @Override
    public void save(ModelArchive.Writer out) throws IOException {
        out.npy(PARAMS_ENTRY, net.params());
        INDArray state = updaterState();
        if (state != null) {
            out.npy(UPDATER_ENTRY, state);
        }
        String conf = net instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) net).getConfiguration().toJson();
        out.bytes(CONFIGURATION_ENTRY, conf.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Fills this freshly built network (same architecture) from {@link #save}'s entries, or from the
     * {@code network.zip} entry of fastdl4j 0.1's zips: DL4J's ModelSerializer format, of which only
     * the parameters and updater state are read, by a strict reader; a Java-serialized object in it
     * ({@code preprocessor.bin}, {@code objects/...}) is refused, never deserialized.
     */
    @Override
    public void load(ModelArchive in) {
        INDArray params;
        INDArray state = updaterState();
        INDArray savedState = null;
        if (in.hasEntry(PARAMS_ENTRY)) {
            params = in.npy(PARAMS_ENTRY, net.params().dataType(), net.params().shape());
            if (state != null && in.hasEntry(UPDATER_ENTRY)) {
                savedState = in.npy(UPDATER_ENTRY, state.dataType(), state.shape());
            }
        } else if (in.hasEntry(LEGACY_ENTRY)) {
            INDArray[] legacy = LegacyNetworkZip.read(in.file(), in.bytes(LEGACY_ENTRY), net.params(), state);
            params = legacy[0];
            savedState = legacy[1];
        } else {
            throw BadInputException.inFile(in.file(), "model zip lacks the network's parameters (" + PARAMS_ENTRY + ")");
        }
        net.params().assign(params.reshape(net.params().shape()));
        if (savedState != null) {
            state.assign(savedState.reshape(state.shape()));
        }
    }

    /**
     * The Adam moments are in {@link #save}'s {@code network/updater.npy}; a checkpoint adds DL4J's
     * step and epoch counts, which its Adam uses for bias correction.
     */
    @Override
    public void saveOptimizer(ModelArchive.Writer out) throws IOException {
        // DL4J draws its dropout masks from ND4J's generator of this thread: where it stands, so a
        // resumed run draws the same masks (nothing else in a fit draws from it between epochs)
        Random rng = Nd4j.getRandom();
        out.json(COUNTS_ENTRY, Map.of("iteration", iterationCount(), "epoch", epochCount(), "rng_root_state", rng.rootState(),
                "rng_node_state", rng.nodeState()));
    }

    @Override
    public void loadOptimizer(ModelArchive in) {
        JsonNode c = in.json(COUNTS_ENTRY);
        int iteration = c.path("iteration").asInt(-1);
        int epoch = c.path("epoch").asInt(-1);
        if (iteration < 0 || epoch < 0) {
            throw BadInputException.inFile(in.file(), "entry " + COUNTS_ENTRY + ".json lacks the step counts");
        }
        if (!c.path("rng_root_state").isIntegralNumber() || !c.path("rng_node_state").isIntegralNumber()) {
            throw BadInputException.inFile(in.file(), "entry " + COUNTS_ENTRY + ".json lacks ND4J's random generator state");
        }
        Nd4j.getRandom().setStates(c.path("rng_root_state").asLong(), c.path("rng_node_state").asLong());
        if (net instanceof MultiLayerNetwork m) {
            m.getLayerWiseConfigurations().setIterationCount(iteration);
            m.getLayerWiseConfigurations().setEpochCount(epoch);
        } else {
            ((ComputationGraph) net).getConfiguration().setIterationCount(iteration);
            ((ComputationGraph) net).getConfiguration().setEpochCount(epoch);
        }
    }

    private int iterationCount() {
        return net instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().getIterationCount()
                : ((ComputationGraph) net).getConfiguration().getIterationCount();
    }

    private int epochCount() {
        return net instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().getEpochCount()
                : ((ComputationGraph) net).getConfiguration().getEpochCount();
    }

    @Override
    public boolean ownsEntry(String name) {
        return name.equals(COUNTS_ENTRY + ".json") || name.equals(PARAMS_ENTRY) || name.equals(UPDATER_ENTRY) || name.equals(CONFIGURATION_ENTRY)
                || name.equals(LEGACY_ENTRY);
    }

    /** By the plain name registered when the network was built (e.g. {@code movie_factors}). */
    @Override
    public INDArray weights(String name) {
        String key = weightNames.get(name);
        if (key == null) {
            throw new IllegalArgumentException("no weights '" + name + "' in " + describe() + "; named: "
                    + new TreeSet<>(weightNames.keySet()));
        }
        return dl4jWeights(key);
    }

    @Override
    public Set<String> weightNames() {
        return weightNames.keySet();
    }

    /** A layer's parameter by DL4J's {@code layer/param} key. */
    private INDArray dl4jWeights(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("DL4J weights are keyed layer/param, got '" + key + "'");
        }
        Layer layer;
        try {
            layer = net instanceof MultiLayerNetwork m ? m.getLayer(key.substring(0, slash))
                    : ((ComputationGraph) net).getLayer(key.substring(0, slash));
        } catch (IllegalStateException noSuchLayer) { // DL4J's answer for a name it does not know
            layer = null;
        }
        INDArray w = layer == null ? null : layer.getParam(key.substring(slash + 1));
        if (w == null) {
            throw new IllegalArgumentException("no weights '" + key + "' in " + describe());
        }
        return w;
    }

    /** One row per layer or vertex, in order, with the output shape of the sample batch. */
    @Override
    public ModelSummary summary(INDArray[] sample) {
        List<ModelSummary.Row> rows = new ArrayList<>();
        if (net instanceof ComputationGraph g) {
            Map<String, INDArray> acts = g.feedForward(sample, false);
            for (int i : g.topologicalSortOrder()) {
                GraphVertex v = g.getVertices()[i];
                if (v.isInputVertex()) {
                    continue;
                }
                Layer l = v.hasLayer() ? v.getLayer() : null;
                INDArray a = acts.get(v.getVertexName());
                rows.add(new ModelSummary.Row(v.getVertexName(),
                        l != null ? typeName(l) : v.getClass().getSimpleName().replace("Vertex", "") + " vertex",
                        a == null ? null : a.shape(), l == null ? 0 : l.numParams(), l != null && !frozen(l)));
            }
        } else {
            MultiLayerNetwork m = (MultiLayerNetwork) net;
            List<INDArray> acts = m.feedForward(sample[0], false);
            for (int i = 0; i < m.getLayers().length; i++) {
                Layer l = m.getLayers()[i];
                rows.add(new ModelSummary.Row("layer" + i, typeName(l), acts.get(i + 1).shape(),
                        l.numParams(), !frozen(l)));
            }
        }
        return new ModelSummary(net.getClass().getSimpleName() + " (DL4J)", sample[0].shape(), rows);
    }

    private static String typeName(Layer l) {
        Layer inner = l instanceof FrozenLayerWithBackprop f ? f.getInsideLayer() : l;
        return inner.getClass().getSimpleName();
    }

    private static boolean frozen(Layer l) {
        return l instanceof FrozenLayerWithBackprop || l instanceof FrozenLayer;
    }

    @Override
    public String describe() {
        return net.getClass().getSimpleName() + " (DL4J, " + net.numParams() + " parameters)";
    }
}

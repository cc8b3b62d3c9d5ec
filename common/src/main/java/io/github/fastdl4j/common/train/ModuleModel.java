package io.github.fastdl4j.common.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.LegacyNd4jArrays;
import io.github.fastdl4j.common.io.Npy;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.module.Buffer;
import io.github.fastdl4j.common.module.LayerSummary;
import io.github.fastdl4j.common.module.Loss;
import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A from-scratch {@link Module} trained with a {@link Loss} and the {@link AdamW} its
 * {@link AdamW.Factory} makes (fastai's {@code Learner(model, loss_func, opt_func)}).
 */
public final class ModuleModel implements Trainable {

    /** Zip entry folder of a module's parameters: {@code parameters/<name>.npy}. */
    public static final String PARAMETERS_DIR = "parameters/";
    private static final String NPY = ".npy";
    /** Checkpoints: the optimiser's state, beside the parameters. */
    static final String OPTIMIZER_DIR = "optimizer/";
    private static final String LEGACY = ".bin";

    private final Module module;
    private final Loss loss;
    private final AdamW optimizer;

    /** With fastai's AdamW ({@link AdamW#factory()}: its defaults, the kernel that suits the backend and parameters). */
    public ModuleModel(Module module, Loss loss) {
        this(module, loss, AdamW.factory());
    }

    /** With the optimiser {@code optFunc} makes for the module (fastai's {@code opt_func}). */
    public ModuleModel(Module module, Loss loss, AdamW.Factory optFunc) {
        this.module = module;
        this.loss = loss;
        this.optimizer = optFunc.create(module);
    }

    /** The module, every parameter current (a LAZY optimiser is {@link AdamW#sync synced} first). */
    public Module module() {
        optimizer.sync();
        return module;
    }

    @Override
    public double trainStep(MultiDataSet batch, StepSettings s) {
        INDArray out = module.forward(batch.getFeatures(), true);
        INDArray target = batch.getLabels(0);
        Loss.ValueAndGradient vg = loss.valueAndGradient(out, target);
        module.backward(vg.gradient());
        optimizer.step(s.lr(), s.wd(), s.beta1(), s.epoch());
        return vg.value();
    }

    @Override
    public INDArray predict(INDArray[] features) {
        optimizer.sync();
        return module.forward(features, false);
    }

    /** False: the from-scratch modules end in logits (or values); the loss applies the softmax. */
    @Override
    public boolean outputsProbabilities() {
        return false;
    }

    @Override
    public Trainable.Snapshot snapshot() {
        optimizer.sync();
        List<INDArray> values = new ArrayList<>();
        for (Parameter p : module.parameters()) {
            values.add(p.value().dup());
        }
        List<INDArray> buffers = new ArrayList<>();
        for (Buffer b : module.buffers()) {
            buffers.add(b.value().dup());
        }
        return new ModuleSnapshot(values, buffers, optimizer.snapshot());
    }

    @Override
    public void restore(Trainable.Snapshot snapshot) {
        if (!(snapshot instanceof ModuleSnapshot s) || s.values().size() != module.parameters().size()
                || s.buffers().size() != module.buffers().size()) {
            throw new IllegalArgumentException("not a snapshot of this " + module.getClass().getSimpleName() + ": " + snapshot);
        }
        List<Parameter> ps = module.parameters();
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).value().assign(s.values().get(i));
        }
        List<Buffer> bs = module.buffers();
        for (int i = 0; i < bs.size(); i++) {
            bs.get(i).value().assign(s.buffers().get(i));
        }
        optimizer.restore(s.optimizer());
    }

    /** The arrays a model zip holds: parameters, then buffers, each under {@code parameters/<name>.npy}. */
    private List<Saved> saved() {
        List<Saved> all = new ArrayList<>();
        for (Parameter p : module.parameters()) {
            all.add(new Saved(p.name(), p.value()));
        }
        for (Buffer b : module.buffers()) {
            all.add(new Saved(b.name(), b.value()));
        }
        return all;
    }

    private record Saved(String name, INDArray value) {
        long[] shape() {
            return value.shape();
        }

        long length() {
            return value.length();
        }
    }

    @Override
    public void save(ModelArchive.Writer out) throws IOException {
        optimizer.sync();
        for (Saved p : saved()) {
            out.npy(PARAMETERS_DIR + p.name() + NPY, p.value());
        }
    }

    /**
     * Fills the module's parameters from {@code parameters/<name>.npy} (or, in zips written by
     * fastdl4j 0.1, {@code parameters/<name>.bin} in ND4J's binary format, read by a strict reader),
     * each of exactly the parameter's shape and type.
     */
    @Override
    public void load(ModelArchive in) {
        for (Saved p : saved()) {
            String npy = PARAMETERS_DIR + p.name() + NPY;
            String legacy = PARAMETERS_DIR + p.name() + LEGACY;
            INDArray v;
            if (in.hasEntry(npy) && in.hasEntry(legacy)) {
                throw BadInputException.inFile(in.file(), "refused: parameter " + p.name() + " is stored twice (" + npy + " and "
                        + legacy + ")");
            }
            if (in.hasEntry(npy)) {
                v = in.npy(npy, p.value().dataType(), p.shape());
            } else if (in.hasEntry(legacy)) {
                try {
                    v = LegacyNd4jArrays.read(in.bytes(legacy), p.value().dataType(), p.length());
                } catch (Npy.FormatException e) {
                    throw BadInputException.inFile(in.file(), "entry " + legacy + ": " + e.getMessage());
                }
                if (!Arrays.equals(v.shape(), p.shape())) {
                    throw BadInputException.inFile(in.file(), "parameter " + p.name() + " has shape " + Arrays.toString(v.shape())
                            + ", the model expects " + Arrays.toString(p.shape()));
                }
            } else {
                throw BadInputException.inFile(in.file(), "model zip lacks parameter " + p.name());
            }
            p.value().assign(v);
        }
    }

    /** {@code optimizer/<param>.m.npy} and {@code .v.npy} (FUSED) or {@code .state.npy} (ND4J), and the step count. */
    @Override
    public void saveOptimizer(ModelArchive.Writer out) throws IOException {
        AdamW.State st = optimizer.snapshot();
        List<Parameter> ps = module.parameters();
        for (int i = 0; i < st.states().size(); i++) {
            out.npy(OPTIMIZER_DIR + ps.get(i).name() + ".state.npy", st.states().get(i));
        }
        for (int i = 0; i < st.moments().size(); i++) {
            float[] m = st.moments().get(i);
            out.npy(OPTIMIZER_DIR + ps.get(i / 2).name() + (i % 2 == 0 ? ".m.npy" : ".v.npy"),
                    Nd4j.create(m, new long[]{m.length}, 'c'));
        }
        out.json(OPTIMIZER_DIR + "adamw", Map.of("iteration", st.iteration()));
        long[] random = module.randomState();
        if (random.length > 0) {
            out.json(OPTIMIZER_DIR + RANDOM, Map.of("state", random));
        }
    }

    /** The checkpoint entry holding where the module's dropout generators stand. */
    private static final String RANDOM = "random";

    @Override
    public void loadOptimizer(ModelArchive in) {
        AdamW.State now = optimizer.snapshot(); // the shapes to expect
        List<Parameter> ps = module.parameters();
        List<INDArray> states = new ArrayList<>();
        for (int i = 0; i < now.states().size(); i++) {
            INDArray like = now.states().get(i);
            states.add(in.npy(OPTIMIZER_DIR + ps.get(i).name() + ".state.npy", like.dataType(), like.shape()));
        }
        List<float[]> moments = new ArrayList<>();
        for (int i = 0; i < now.moments().size(); i++) {
            String name = OPTIMIZER_DIR + ps.get(i / 2).name() + (i % 2 == 0 ? ".m.npy" : ".v.npy");
            moments.add(in.npy(name, DataType.FLOAT, now.moments().get(i).length).toFloatVector());
        }
        int iteration = in.json(OPTIMIZER_DIR + "adamw").path("iteration").asInt(-1);
        if (iteration < 0) {
            throw BadInputException.inFile(in.file(), "entry " + OPTIMIZER_DIR + "adamw.json has no step count");
        }
        optimizer.restore(new AdamW.State(states, moments, iteration));
        int generators = module.randomState().length;
        if (generators > 0) {
            // without it the resumed run would draw other dropout masks than the killed one: refused, not approximated
            JsonNode st = in.json(OPTIMIZER_DIR + RANDOM).path("state");
            if (!st.isArray() || st.size() != generators) {
                throw BadInputException.inFile(in.file(), "entry " + OPTIMIZER_DIR + RANDOM + ".json does not hold the state of "
                        + generators + " random generator" + (generators == 1 ? "" : "s"));
            }
            long[] state = new long[generators];
            for (int i = 0; i < generators; i++) {
                if (!st.get(i).canConvertToLong() || !st.get(i).isIntegralNumber()) {
                    throw BadInputException.inFile(in.file(), "entry " + OPTIMIZER_DIR + RANDOM + ".json: state " + i + " is not a whole number");
                }
                state[i] = st.get(i).asLong();
            }
            module.randomState(state);
        }
    }

    @Override
    public boolean ownsEntry(String name) {
        if (name.startsWith(OPTIMIZER_DIR)) {
            return true;
        }
        if (!name.startsWith(PARAMETERS_DIR)) {
            return false;
        }
        String rest = name.substring(PARAMETERS_DIR.length());
        for (Saved p : saved()) {
            if (rest.equals(p.name() + NPY) || rest.equals(p.name() + LEGACY)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public INDArray weights(String name) {
        optimizer.sync();
        for (Buffer b : module.buffers()) {
            if (b.name().equals(name)) {
                return b.value();
            }
        }
        return module.parameter(name).value();
    }

    @Override
    public Set<String> weightNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Parameter p : module.parameters()) {
            names.add(p.name());
        }
        for (Buffer b : module.buffers()) {
            names.add(b.name());
        }
        return names;
    }

    /**
     * fastai's summary: one row per layer with its output shape for the sample and its trainable
     * values, where the module has a layer view ({@link Module#layers}); else one row per
     * parameter, then the model's output for the sample.
     */
    @Override
    public ModelSummary summary(INDArray[] sample) {
        optimizer.sync();
        List<ModelSummary.Row> rows = new ArrayList<>();
        List<LayerSummary> layers = module.layers(sample);
        if (!layers.isEmpty()) {
            for (LayerSummary l : layers) {
                rows.add(new ModelSummary.Row(l.name(), l.type(), l.shape(), l.params(), true));
            }
            return new ModelSummary(module.getClass().getSimpleName() + " (from scratch)", sample[0].shape(), rows);
        }
        for (Parameter p : module.parameters()) {
            // modules that still keep batchnorm's running statistics as parameters (zero gradient) show them as buffers
            boolean stats = p.name().contains("running_");
            rows.add(new ModelSummary.Row(p.name(), stats ? "buffer" : "parameter", p.shape(), p.length(), !stats));
        }
        for (Buffer b : module.buffers()) {
            rows.add(new ModelSummary.Row(b.name(), "buffer", b.value().shape(), b.value().length(), false));
        }
        INDArray out = module.forward(sample, false);
        rows.add(new ModelSummary.Row("(output)", module.getClass().getSimpleName(), out.shape(), 0, false));
        return new ModelSummary(module.getClass().getSimpleName() + " (from scratch)", sample[0].shape(), rows);
    }

    @Override
    public String describe() {
        List<Parameter> ps = module.parameters();
        // a long list (a convnet's weights and batchnorm statistics) is cut to its first tensors
        int shown = ps.size() <= 8 ? ps.size() : 6;
        String tensors = "[" + ps.subList(0, shown).stream().map(Parameter::toString).collect(Collectors.joining(", "))
                + (shown < ps.size() ? ", ... " + (ps.size() - shown) + " more" : "") + "]";
        return module.getClass().getSimpleName() + " (from scratch, " + module.parameterCount() + " parameters: "
                + tensors + ", AdamW kernel " + optimizer.kernel()
                + (optimizer.mode() == AdamW.Mode.LAZY ? ", lazy rows" : "") + ")";
    }

    /** The parameters' and buffers' values, in the module's order, and the optimiser's state. */
    private record ModuleSnapshot(List<INDArray> values, List<INDArray> buffers, AdamW.State optimizer)
            implements Trainable.Snapshot {
    }
}

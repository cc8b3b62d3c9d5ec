package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter) over a {@link Module}'s parameters,
 * as fastai trains: {@code p -= lr * wd * p}, then Adam's step; the learning rate and beta1 can
 * change every step (one-cycle). After each step the gradients are zeroed, like PyTorch's
 * {@code optimizer.zero_grad()}: modules accumulate into them.
 *
 * <p>Two kernels compute the same update:
 * <ul>
 *   <li>{@link Kernel#ND4J}: ND4J's own {@link GradientUpdater} for {@link Adam} (a native op per
 *   parameter) plus ND4J ops for the decay, the subtraction and the zeroing;</li>
 *   <li>{@link Kernel#FUSED} (FLOAT parameters): one vectorisable JVM loop per parameter doing decay,
 *   moments, step and zeroing together, with ND4J's exact formula; the moments live in JVM arrays,
 *   the parameter and gradient are bulk-copied from and to ND4J's memory. Measured on a 2-core CPU with
 *   DL4J M2.1, ND4J's Adam op alone takes ~400 us for 84k values (~5 ns each plus ~60 us of
 *   dispatch), so for embedding models, whose parameters are large but whose work per step is
 *   small, the fused pass is several times faster. A test checks the two agree.</li>
 * </ul>
 * ND4J's Adam adds epsilon to sqrt(v) before bias-correcting the step size, PyTorch after; with
 * eps = 1e-5 the difference is negligible in practice.
 *
 * <p>{@link Mode#LAZY} touches only the rows of {@link EmbeddingTable#sparse} tables that are in the
 * batch (the batch's users and movies), so a step costs in proportion to the batch, not to the
 * table: with millions of users and movies the dense pass dominates (measured ~40 ms per step
 * over 6.1M values on a 2-core CPU, against ~1 ms for the model's forward and backward). Unlike
 * PyTorch's {@code SparseAdam} or TensorFlow's {@code LazyAdam}, which simply skip absent rows (so
 * rare rows are decayed less and lose the ~10 steps' worth of momentum drift that Adam gives a
 * row after its gradient), a row is brought up to date when it is next touched, or when
 * {@link #sync} is called, by replaying the steps it missed in closed form: its weight decay
 * exactly, its moments' decay exactly ({@code m *= prod beta1}, {@code v *= beta2^gap}) and the
 * momentum drift {@code sum_q alpha_q m_q / (sqrt(v_q) + eps)} as one per-row factor times
 * {@code m / (sqrt(v) + eps')}, where eps' is eps at the drift-weighted mean lag: exact but for
 * eps's effect on the drift (tests: equal to DENSE within 1e-4). Dense parameters are updated
 * densely in both modes.
 *
 * <p>This class is the public face; the pieces are package-private: {@code FusedAdam} (the
 * fused loops), {@code LazyRows} (LAZY's row bookkeeping and replay, which a sparse
 * {@link EmbeddingTable} calls when its rows are read). The optimiser sees only
 * {@link Module#parameters()}: a module's {@link Buffer}s are never stepped.
 */
public final class AdamW {

    /** How the update is computed. */
    public enum Kernel {
        /** ND4J's GradientUpdater and ND4J ops. */
        ND4J,
        /** One JVM pass per parameter over host memory. */
        FUSED;

        /** FUSED on the CPU backend, ND4J elsewhere (a GPU's memory is not the JVM's to loop over). */
        public static Kernel auto() {
            return Nd4j.getEnvironment().isCPU() ? FUSED : ND4J;
        }

        /** {@link #auto()} where the parameters are FLOAT, else ND4J. */
        public static Kernel auto(Module module) {
            boolean allFloat = module.parameters().stream().allMatch(p -> p.value().dataType() == DataType.FLOAT);
            return allFloat ? auto() : ND4J;
        }
    }

    /** Which rows of a sparse embedding table each step updates. */
    public enum Mode {
        /** All values, every step (fastai, PyTorch's AdamW). */
        DENSE,
        /**
         * Only the rows the step's gradient touched, the missed steps replayed in closed form when a
         * row comes back (FUSED kernel; ND4J falls back to DENSE). Call {@link #sync} before reading
         * the parameters.
         */
        LAZY;

        /** {@code dense} or {@code lazy}, any case. */
        public static Mode of(String name) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(name.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown AdamW mode '" + name + "' (dense, lazy)");
        }
    }

    /**
     * The optimiser's state: with the ND4J kernel one updater state array per parameter, with the
     * FUSED kernel two moment arrays (m, v) per parameter, in parameter order; and the step count.
     */
    public record State(List<INDArray> states, List<float[]> moments, int iteration) {
    }

    private final List<Parameter> params;
    private final Adam config;
    private final Kernel kernel;
    private final Mode mode;
    // ND4J kernel: one updater and its state per parameter
    private final List<GradientUpdater<?>> updaters = new ArrayList<>();
    private final List<INDArray> states = new ArrayList<>();
    // FUSED kernel: m and v per parameter; LAZY: the sparse tables' rows
    private final List<float[]> moments = new ArrayList<>();
    private final FusedAdam fused = new FusedAdam();
    private final LazyRows lazyRows;
    private int iteration;

    /**
     * fastai's {@code opt_func}: how a model makes its optimiser for its module (given to
     * {@code ModuleModel}, which builds the module first).
     */
    @FunctionalInterface
    public interface Factory {
        AdamW create(Module module);
    }

    /** fastai's defaults (beta1 0.9, beta2 0.99, eps 1e-5), the kernel for the module and backend, dense updates. */
    public static Factory factory() {
        return factory(Mode.DENSE);
    }

    /** fastai's defaults with the kernel for the module and backend ({@link Kernel#auto(Module)}) and {@code mode}. */
    public static Factory factory(Mode mode) {
        return m -> new AdamW(m, 0.9, 0.99, 1e-5, Kernel.auto(m), mode);
    }

    /** fastai's defaults with {@code kernel} and {@code mode}. */
    public static Factory factory(Kernel kernel, Mode mode) {
        return m -> new AdamW(m, 0.9, 0.99, 1e-5, kernel, mode);
    }

    /** fastai's defaults: beta1 0.9, beta2 0.99, eps 1e-5; the kernel for this backend. */
    public AdamW(Module module) {
        this(module, 0.9, 0.99, 1e-5, Kernel.auto(module));
    }

    public AdamW(Module module, double beta1, double beta2, double eps, Kernel kernel) {
        this(module, beta1, beta2, eps, kernel, Mode.DENSE);
    }

    /**
     * @param mode {@link Mode#LAZY} to update only touched rows of sparse embedding tables (needs
     *             the FUSED kernel; with ND4J every value is updated)
     */
    public AdamW(Module module, double beta1, double beta2, double eps, Kernel kernel, Mode mode) {
        this.params = module.parameters();
        this.config = new Adam(1e-3, beta1, beta2, eps);
        this.kernel = kernel;
        // LAZY reads and writes single rows of host memory: the CPU backend's FUSED kernel only
        this.mode = kernel == Kernel.FUSED && Nd4j.getEnvironment().isCPU() ? mode : Mode.DENSE;
        this.lazyRows = this.mode == Mode.LAZY ? new LazyRows(fused, beta2, eps) : null;
        for (Parameter p : params) {
            if (kernel == Kernel.FUSED) {
                if (p.value().dataType() != DataType.FLOAT) {
                    throw new IllegalArgumentException("the FUSED kernel needs FLOAT parameters; " + p + " is "
                            + p.value().dataType() + " (use Kernel.ND4J)");
                }
                int n = (int) p.length();
                float[] m = new float[n];
                float[] v = new float[n];
                moments.add(m);
                moments.add(v);
                if (lazyRows != null && p.sparseTable() != null) {
                    lazyRows.add(p.sparseTable(), m, v);
                }
                fused.reserve(n);
                continue;
            }
            INDArray state = Nd4j.zeros(p.value().dataType(), 1, config.stateSize(p.length()));
            states.add(state);
            GradientUpdater<?> u = config.instantiate(state, true);
            u.setStateViewArray(state, p.shape(), p.value().ordering(), true);
            updaters.add(u);
        }
    }

    public Kernel kernel() {
        return kernel;
    }

    /** DENSE or LAZY (always DENSE with the ND4J kernel or off the CPU backend). */
    public Mode mode() {
        return mode;
    }

    /** One step with the parameters' current gradients, which are zeroed afterwards. */
    public void step(double lr, double wd, double beta1, int epoch) {
        config.setLearningRate(lr);
        config.setBeta1(beta1);
        int t = iteration + 1;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            double decay = p.decay() ? wd : 0;
            if (kernel == Kernel.ND4J) {
                if (decay != 0) {
                    p.value().muli(1 - lr * decay);
                }
                INDArray g = p.grad();
                updaters.get(i).applyUpdater(g, iteration, epoch);
                p.value().subi(g);
                g.assign(0);
            } else {
                FusedAdam.Coefficients c = coefficients(t, lr, decay, beta1);
                EmbeddingTable table = p.sparseTable();
                if (lazyRows != null && table != null) {
                    lazyRows.step(table, c);
                } else {
                    fused.step(p, moments.get(2 * i), moments.get(2 * i + 1), c);
                }
            }
            if (p.sparseTable() != null) {
                p.sparseTable().clearTouched();
            }
        }
        if (lazyRows != null) {
            lazyRows.remember(coefficients(t, lr, 0, beta1).alpha(), beta1, 1 - lr * wd);
        }
        iteration++;
    }

    private FusedAdam.Coefficients coefficients(int t, double lr, double wd, double beta1) {
        return FusedAdam.Coefficients.of(t, lr, wd, beta1, config.getBeta2(), config.getEpsilon());
    }

    /**
     * LAZY: brings every row up to the last step, so the parameters hold what DENSE would hold.
     * Cheap when nothing changed since the last call; {@code ModuleModel} calls it before
     * predicting, saving or handing out the module.
     */
    public void sync() {
        if (lazyRows != null) {
            lazyRows.syncAll();
        }
    }

    /** Number of steps taken. */
    public int iteration() {
        return iteration;
    }

    /** A copy of the optimiser state (moments and step count), for {@link #restore}. */
    public State snapshot() {
        sync(); // every row current: the snapshot needs no history
        List<INDArray> copy = new ArrayList<>();
        for (INDArray s : states) {
            copy.add(s.dup());
        }
        return new State(copy, moments.stream().map(float[]::clone).toList(), iteration);
    }

    /** Puts back a state taken by {@link #snapshot} (or read back from a checkpoint). */
    public void restore(State st) {
        if (st.states().size() != states.size() || st.moments().size() != moments.size()) {
            throw new IllegalArgumentException("an optimiser state of another model: " + st.states().size()
                    + " ND4J states and " + st.moments().size() + " moment arrays, this one has " + states.size() + " and "
                    + moments.size());
        }
        for (int i = 0; i < states.size(); i++) {
            states.get(i).assign(st.states().get(i));
        }
        for (int i = 0; i < moments.size(); i++) {
            System.arraycopy(st.moments().get(i), 0, moments.get(i), 0, moments.get(i).length);
        }
        iteration = st.iteration();
        if (lazyRows != null) {
            lazyRows.restartAt(iteration); // the snapshot was synced: every row is current at its step
        }
    }
}

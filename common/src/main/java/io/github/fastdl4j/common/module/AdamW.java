package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.FloatBuffer;
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
 * <p>{@link Mode#LAZY} touches only the rows of {@link Parameter#rowSparse} tables that are in the
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

    /** Which rows of a row-sparse table each step updates. */
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

    private final List<Parameter> params;
    private final Adam config;
    private final Kernel kernel;
    private final Mode mode;
    private final List<GradientUpdater<?>> updaters = new ArrayList<>();
    private final List<INDArray> states = new ArrayList<>();
    private final List<float[]> moments = new ArrayList<>();
    private float[] wScratch = new float[0];
    private float[] gScratch = new float[0];
    private float[] zeros = new float[0];
    private int iteration;
    // LAZY: per parameter the step each row was last brought up to date (null: updated densely),
    // and what the missed steps did, summed so that replaying any gap costs O(1) per row
    private final List<int[]> lastStep = new ArrayList<>();
    private final List<FloatBuffer> rowViews = new ArrayList<>(); // host memory of lazy tables (CPU: fixed)
    private final Replay replay;
    private boolean stale;

    /** fastai's defaults: beta1 0.9, beta2 0.99, eps 1e-5; the kernel for this backend. */
    public AdamW(Module module) {
        this(module, 0.9, 0.99, 1e-5, Kernel.auto(module));
    }

    public AdamW(Module module, double beta1, double beta2, double eps, Kernel kernel) {
        this(module, beta1, beta2, eps, kernel, Mode.DENSE);
    }

    /**
     * @param mode {@link Mode#LAZY} to update only touched rows of row-sparse tables (needs the
     *             FUSED kernel; with ND4J every value is updated)
     */
    public AdamW(Module module, double beta1, double beta2, double eps, Kernel kernel, Mode mode) {
        this.params = module.parameters();
        this.config = new Adam(1e-3, beta1, beta2, eps);
        this.kernel = kernel;
        // LAZY reads and writes single rows of host memory: the CPU backend's FUSED kernel only
        this.mode = kernel == Kernel.FUSED && Nd4j.getEnvironment().isCPU() ? mode : Mode.DENSE;
        this.replay = new Replay(beta2, eps);
        for (Parameter p : params) {
            if (kernel == Kernel.FUSED) {
                if (p.value().dataType() != DataType.FLOAT) {
                    throw new IllegalArgumentException("the FUSED kernel needs FLOAT parameters; " + p + " is "
                            + p.value().dataType() + " (use Kernel.ND4J)");
                }
                // m and v in two arrays: with one [m | v] array C2 cannot prove the two halves
                // independent and does not vectorise the loop (measured 5.5 vs 1.7 ns per value)
                int n = (int) p.length();
                moments.add(new float[n]);
                moments.add(new float[n]);
                boolean lazyRows = this.mode == Mode.LAZY && p.isRowSparse();
                lastStep.add(lazyRows ? new int[(int) p.value().size(0)] : null);
                rowViews.add(lazyRows ? p.value().data().asNioFloat() : null);
                if (lazyRows) {
                    int index = lastStep.size() - 1;
                    p.onRowSync(row -> syncRow(index, row));
                }
                if (n > wScratch.length) {
                    wScratch = new float[n];
                    gScratch = new float[n];
                    zeros = new float[n];
                }
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
                Coefficients c = coefficients(lr, decay, beta1);
                float[] ms = moments.get(2 * i);
                float[] vs = moments.get(2 * i + 1);
                if (lastStep.get(i) != null) {
                    lazy(p, ms, vs, lastStep.get(i), c);
                } else {
                    fused(p, ms, vs, c);
                }
            }
            p.clearTouched();
        }
        if (mode == Mode.LAZY) {
            remember(lr, wd, beta1);
        }
        iteration++;
    }

    /** The scalars of one Adam step, in float as the kernels use them. */
    private record Coefficients(float alpha, float eps, float b1, float c1, float b2, float c2, float keep) {
    }

    private Coefficients coefficients(double lr, double wd, double beta1) {
        double beta2 = config.getBeta2();
        int t = iteration + 1;
        double alphaD = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        if (!Double.isFinite(alphaD) || alphaD == 0) {
            alphaD = config.getEpsilon(); // as ND4J's kernel does
        }
        return new Coefficients((float) alphaD, (float) config.getEpsilon(), (float) beta1, (float) (1 - beta1),
                (float) beta2, (float) (1 - beta2), (float) (1 - lr * wd));
    }

    private void fused(Parameter p, float[] ms, float[] vs, Coefficients c) {
        int n = (int) p.length();
        Nd4j.getAffinityManager().ensureLocation(p.value(), AffinityManager.Location.HOST);
        Nd4j.getAffinityManager().ensureLocation(p.grad(), AffinityManager.Location.HOST);
        FloatBuffer wb = p.value().data().asNioFloat();
        FloatBuffer gb = p.grad().data().asNioFloat();
        wb.get(0, wScratch, 0, n);
        gb.get(0, gScratch, 0, n);
        updateAll(wScratch, gScratch, ms, vs, n, c);
        wb.put(0, wScratch, 0, n);
        gb.put(0, zeros, 0, n);
        Nd4j.getAffinityManager().tagLocation(p.value(), AffinityManager.Location.HOST);
        Nd4j.getAffinityManager().tagLocation(p.grad(), AffinityManager.Location.HOST);
    }

    /** Records step {@code iteration + 1}'s scalars for replaying it on rows that miss it. */
    private void remember(double lr, double wd, double beta1) {
        double keep = 1 - lr * wd;
        if (!(keep > 0)) {
            throw new IllegalArgumentException("lr * wd must be below 1 (lr " + lr + ", wd " + wd + ")");
        }
        replay.add(iteration + 1, coefficients(lr, 0, beta1).alpha(), beta1, keep);
        stale = true;
    }

    /** The touched rows: catch up on the steps each missed, then this step's update; gradient rows zeroed. */
    private void lazy(Parameter p, float[] ms, float[] vs, int[] last, Coefficients c) {
        int width = p.rowWidth();
        int t = iteration + 1;
        Nd4j.getAffinityManager().ensureLocation(p.value(), AffinityManager.Location.HOST);
        Nd4j.getAffinityManager().ensureLocation(p.grad(), AffinityManager.Location.HOST);
        FloatBuffer wb = p.value().data().asNioFloat();
        FloatBuffer gb = p.grad().data().asNioFloat();
        for (int r = 0; r < p.touchedCount(); r++) {
            int row = p.touchedRow(r);
            int off = row * width;
            wb.get(off, wScratch, 0, width);
            gb.get(off, gScratch, 0, width);
            catchUp(wScratch, ms, vs, off, width, last[row], t - 1, p.decay());
            update(wScratch, gScratch, ms, vs, off, width, c);
            last[row] = t;
            wb.put(off, wScratch, 0, width);
            gb.put(off, zeros, 0, width);
        }
        Nd4j.getAffinityManager().tagLocation(p.value(), AffinityManager.Location.HOST);
        Nd4j.getAffinityManager().tagLocation(p.grad(), AffinityManager.Location.HOST);
    }

    /**
     * Replays steps {@code from+1 .. upTo} (upTo = the last step taken) with zero gradient on one
     * row (w at 0, moments at {@code off}): what DENSE would have done to it.
     */
    private void catchUp(float[] w, float[] ms, float[] vs, int off, int width, int from, int upTo, boolean decay) {
        if (upTo <= from) {
            return;
        }
        Replay.Gap g = replay.gap(from, upTo, decay);
        float keep = (float) g.decay();
        float d = (float) g.drift();
        float epsAtLag = (float) g.epsAtLag();
        float mDecay = (float) g.mDecay();
        float vDecay = (float) g.vDecay();
        for (int j = 0; j < width; j++) {
            float m = ms[off + j];
            float v = vs[off + j];
            w[j] = w[j] * keep - d * m / ((float) Math.sqrt(v) + epsAtLag);
            ms[off + j] = m * mDecay;
            vs[off + j] = v * vDecay;
        }
    }

    /** Brings one row of parameter {@code i} up to the last step (before a forward reads it). */
    private void syncRow(int i, int row) {
        int[] last = lastStep.get(i);
        if (last[row] >= iteration) {
            return;
        }
        Parameter p = params.get(i);
        int width = p.rowWidth();
        int off = row * width;
        // called per row of every batch: the cached view, no per-call buffer wrapping
        FloatBuffer wb = rowViews.get(i);
        wb.get(off, wScratch, 0, width);
        catchUp(wScratch, moments.get(2 * i), moments.get(2 * i + 1), off, width, last[row], iteration, p.decay());
        wb.put(off, wScratch, 0, width);
        last[row] = iteration;
    }

    /**
     * LAZY: brings every row up to the last step, so the parameters hold what DENSE would hold.
     * Cheap when nothing changed since the last call; {@code ModuleModel} calls it before
     * predicting, saving or handing out the module.
     */
    public void sync() {
        if (!stale) {
            return;
        }
        for (int i = 0; i < params.size(); i++) {
            int[] last = lastStep.get(i);
            for (int row = 0; last != null && row < last.length; row++) {
                syncRow(i, row);
            }
        }
        stale = false;
    }

    /**
     * {@link #update} for whole arrays, a loop of its own: the dense pass runs over millions of
     * values, and sharing one method with the row-sized calls of LAZY measured 74k instead of 114k
     * ratings/s on ml-100k (likely C2 compiling the shared loop for short trip counts).
     */
    private static void updateAll(float[] w, float[] g, float[] ms, float[] vs, int n, Coefficients c) {
        float b1 = c.b1();
        float c1 = c.c1();
        float b2 = c.b2();
        float c2 = c.c2();
        float keep = c.keep();
        float alpha = c.alpha();
        float eps = c.eps();
        for (int j = 0; j < n; j++) {
            float gj = g[j];
            float m = b1 * ms[j] + c1 * gj;
            float v = b2 * vs[j] + c2 * gj * gj;
            ms[j] = m;
            vs[j] = v;
            w[j] = w[j] * keep - alpha * m / ((float) Math.sqrt(v) + eps);
        }
    }

    /** Decay, moments and step for n values; the moments start at {@code off}, w and g at 0. */
    private static void update(float[] w, float[] g, float[] ms, float[] vs, int off, int n, Coefficients c) {
        float b1 = c.b1();
        float c1 = c.c1();
        float b2 = c.b2();
        float c2 = c.c2();
        float keep = c.keep();
        float alpha = c.alpha();
        float eps = c.eps();
        // plain float arrays: C2 vectorises this loop (sqrt and division included)
        for (int j = 0; j < n; j++) {
            float gj = g[j];
            float m = b1 * ms[off + j] + c1 * gj;
            float v = b2 * vs[off + j] + c2 * gj * gj;
            ms[off + j] = m;
            vs[off + j] = v;
            w[j] = w[j] * keep - alpha * m / ((float) Math.sqrt(v) + eps);
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
        if (st.states.size() != states.size() || st.moments.size() != moments.size()) {
            throw new IllegalArgumentException("an optimiser state of another model: " + st.states.size() + " ND4J states and "
                    + st.moments.size() + " moment arrays, this one has " + states.size() + " and " + moments.size());
        }
        for (int i = 0; i < states.size(); i++) {
            states.get(i).assign(st.states.get(i));
        }
        for (int i = 0; i < moments.size(); i++) {
            System.arraycopy(st.moments.get(i), 0, moments.get(i), 0, moments.get(i).length);
        }
        iteration = st.iteration;
        // the snapshot was synced: every row is current at its step
        for (int[] last : lastStep) {
            if (last != null) {
                java.util.Arrays.fill(last, iteration);
            }
        }
        replay.restartAt(iteration);
        stale = false;
    }

    /**
     * The optimiser's state: with the ND4J kernel one updater state array per parameter, with the
     * FUSED kernel two moment arrays (m, v) per parameter, in parameter order; and the step count.
     */
    public record State(List<INDArray> states, List<float[]> moments, int iteration) {
    }

    /**
     * What zero-gradient steps do to a row last updated at step f, for every f, kept current as
     * steps are taken. For the steps q = f+1 .. U a row misses, DENSE gives
     * {@code w_U = w_f * D(f,U) - sum_q alpha_q R(f,q) D(q,U) * m_f / (sqrt(v_f) + eps_q)}
     * with D the product of (1 - lr wd) over the steps after q and R(f,q) =
     * prod beta1 / sqrt(beta2)^(q-f) the shrinking ratio m_q / sqrt(v_q). Per start step f we keep
     * R, the drift sum S and its lag-weighted sum; each step multiplies them by its decay and adds
     * its term, for the starts whose R is still above 1e-12 (older starts are frozen, their later
     * terms negligible, and only decayed at query time). So a step costs O(active starts, a few
     * hundred) and a query O(1), however long the gap.
     */
    private static final class Replay {
        private final double sqrtBeta2;
        private final double logBeta2;
        private int capacity = 1024;
        private double[] logKeepSum = new double[capacity]; // sum of log(1 - lr wd) over steps <= s
        private double[] logBeta1Sum = new double[capacity];
        private double[] ratio = new double[capacity];      // R(f, last step)
        private double[] drift = new double[capacity];      // S(f, last step), with decay
        private double[] lag = new double[capacity];        // sum of term * (q - f), with decay
        private double[] drift0 = new double[capacity];     // the same without decay (decay-free parameters)
        private double[] lag0 = new double[capacity];
        private int[] frozenAt = new int[capacity];         // last step that updated start f (once frozen)
        private int oldestActive;                           // starts below this are frozen
        private int last;

        private final double eps;
        private Gap memo; // the last gap asked for: a row's bias and factors share their gaps

        Replay(double beta2, double eps) {
            this.eps = eps;
            this.sqrtBeta2 = Math.sqrt(beta2);
            this.logBeta2 = Math.log(beta2);
            ratio[0] = 1;
        }

        /** Step t's scalars (t = last + 1). */
        void add(int t, double alpha, double beta1, double keep) {
            if (t + 1 >= capacity) {
                capacity = Math.max(2 * capacity, t + 2);
                logKeepSum = java.util.Arrays.copyOf(logKeepSum, capacity);
                logBeta1Sum = java.util.Arrays.copyOf(logBeta1Sum, capacity);
                ratio = java.util.Arrays.copyOf(ratio, capacity);
                drift = java.util.Arrays.copyOf(drift, capacity);
                lag = java.util.Arrays.copyOf(lag, capacity);
                drift0 = java.util.Arrays.copyOf(drift0, capacity);
                lag0 = java.util.Arrays.copyOf(lag0, capacity);
                frozenAt = java.util.Arrays.copyOf(frozenAt, capacity);
            }
            logKeepSum[t] = logKeepSum[t - 1] + Math.log(keep);
            logBeta1Sum[t] = logBeta1Sum[t - 1] + Math.log(beta1);
            double shrink = beta1 / sqrtBeta2;
            for (int f = t - 1; f >= oldestActive; f--) {
                double r = ratio[f] * shrink;
                ratio[f] = r;
                double term = alpha * r;
                drift[f] = drift[f] * keep + term;
                lag[f] = lag[f] * keep + term * (t - f);
                drift0[f] += term;
                lag0[f] += term * (t - f);
            }
            // starts whose ratio fell below 1e-12 get no more meaningful terms: freeze them
            while (oldestActive < t && ratio[oldestActive] < 1e-12) {
                frozenAt[oldestActive++] = t;
            }
            ratio[t] = 1;
            drift[t] = lag[t] = drift0[t] = lag0[t] = 0;
            last = t;
            memo = null;
        }

        /** Forgets the gaps: every row is current at step t (after a restore). */
        void restartAt(int t) {
            if (t + 1 >= capacity) {
                add(t, 0, 1, 1); // grows the arrays; its values are reset below
            }
            oldestActive = t;
            ratio[t] = 1;
            drift[t] = lag[t] = drift0[t] = lag0[t] = 0;
            last = t;
            memo = null;
        }

        /** Decays and drift of the steps from+1 .. upTo; upTo must be the last step added. */
        Gap gap(int from, int upTo, boolean decay) {
            if (upTo != last) {
                throw new IllegalStateException("replay to step " + upTo + " but the last step is " + last);
            }
            if (memo != null && memo.from == from && memo.decayed == decay) {
                return memo;
            }
            double d = decay ? Math.exp(logKeepSum[upTo] - logKeepSum[from]) : 1;
            double s = decay ? drift[from] : drift0[from];
            double l = decay ? lag[from] : lag0[from];
            if (from < oldestActive && decay) {
                double since = Math.exp(logKeepSum[upTo] - logKeepSum[frozenAt[from]]);
                s *= since;
                l *= since;
            }
            // eps enters dense's drift terms as eps / sqrt(beta2)^lag: taken at the drift-weighted mean lag
            double epsAtLag = eps / Math.pow(sqrtBeta2, s > 0 ? l / s : 0);
            memo = new Gap(from, decay, d, s, epsAtLag, Math.exp(logBeta1Sum[upTo] - logBeta1Sum[from]),
                    Math.exp(logBeta2 * (upTo - from)));
            return memo;
        }

        /** What a gap does: multiply w by decay, subtract drift * m / (sqrt(v) + epsAtLag), shrink m and v. */
        record Gap(int from, boolean decayed, double decay, double drift, double epsAtLag, double mDecay, double vDecay) {
        }
    }
}

package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link AdamW.Mode#LAZY}'s rows: for each {@link EmbeddingTable#sparse} table the step each row
 * was last brought up to date, and the replay of the steps a row missed, in closed form, when it
 * is next read ({@link EmbeddingTable#sync}), stepped or {@link #syncAll synced}. See
 * {@link AdamW} for the arithmetic and how exact it is.
 */
final class LazyRows {

    /** One lazy table: its moments (owned by the optimiser) and the step each row is current at. */
    private record Table(EmbeddingTable table, float[] m, float[] v, int[] lastStep, FloatBuffer values) {
    }

    private final List<Table> tables = new ArrayList<>();
    private final FusedAdam kernel;
    private final Replay replay;
    private int last; // the last step taken
    private boolean stale;

    LazyRows(FusedAdam kernel, double beta2, double eps) {
        this.kernel = kernel;
        this.replay = new Replay(beta2, eps);
    }

    /** Takes over {@code table}'s rows, whose moments are {@code m} and {@code v}. */
    void add(EmbeddingTable table, float[] m, float[] v) {
        // called per row of every batch: the host memory's view is kept, no per-call buffer wrapping
        Table t = new Table(table, m, v, new int[table.rows()], table.parameter().value().data().asNioFloat());
        tables.add(t);
        table.attach(this, tables.size() - 1);
    }

    /** True when {@code table} is one of these. */
    boolean holds(EmbeddingTable table) {
        return tables.stream().anyMatch(t -> t.table == table);
    }

    /**
     * Step {@code last + 1} on the table's touched rows: each catches up on the steps it missed,
     * then takes this step ({@code c}); their gradient rows are zeroed.
     */
    void step(EmbeddingTable table, FusedAdam.Coefficients c) {
        Table t = tables.get(slot(table));
        Parameter p = table.parameter();
        int width = table.width();
        int now = last + 1;
        Nd4j.getAffinityManager().ensureLocation(p.value(), AffinityManager.Location.HOST);
        Nd4j.getAffinityManager().ensureLocation(p.grad(), AffinityManager.Location.HOST);
        FloatBuffer wb = p.value().data().asNioFloat();
        FloatBuffer gb = p.grad().data().asNioFloat();
        for (int r = 0; r < table.touchedCount(); r++) {
            int row = table.touchedRow(r);
            int off = row * width;
            kernel.readRow(wb, gb, off, width);
            catchUp(kernel.values(), t.m, t.v, off, width, t.lastStep[row], last, p.decay());
            kernel.stepRow(t.m, t.v, off, width, c);
            t.lastStep[row] = now;
            kernel.writeRow(wb, gb, off, width);
        }
        Nd4j.getAffinityManager().tagLocation(p.value(), AffinityManager.Location.HOST);
        Nd4j.getAffinityManager().tagLocation(p.grad(), AffinityManager.Location.HOST);
    }

    private int slot(EmbeddingTable table) {
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).table == table) {
                return i;
            }
        }
        throw new IllegalArgumentException(table.parameter() + " is not a lazy table of this optimiser");
    }

    /** Records the scalars of step {@code last + 1}, just taken, for replaying it on rows that missed it. */
    void remember(double alpha, double beta1, double keep) {
        if (!(keep > 0)) {
            throw new IllegalArgumentException("lr * wd must be below 1 (1 - lr wd = " + keep + ")");
        }
        last++;
        replay.add(last, alpha, beta1, keep);
        stale = true;
    }

    /** Brings one row of the table in {@code slot} up to the last step (before a forward reads it). */
    void syncRow(int slot, int row) {
        Table t = tables.get(slot);
        if (t.lastStep[row] >= last) {
            return;
        }
        int width = t.table.width();
        int off = row * width;
        float[] w = kernel.values();
        t.values.get(off, w, 0, width);
        catchUp(w, t.m, t.v, off, width, t.lastStep[row], last, t.table.parameter().decay());
        t.values.put(off, w, 0, width);
        t.lastStep[row] = last;
    }

    /** Brings every row up to the last step, so the tables hold what DENSE would hold; cheap when nothing changed. */
    void syncAll() {
        if (!stale) {
            return;
        }
        for (int i = 0; i < tables.size(); i++) {
            for (int row = 0; row < tables.get(i).lastStep.length; row++) {
                syncRow(i, row);
            }
        }
        stale = false;
    }

    /** Every row current at step {@code t} (after a restore of a synced snapshot). */
    void restartAt(int t) {
        for (Table table : tables) {
            Arrays.fill(table.lastStep, t);
        }
        last = t;
        replay.restartAt(t);
        stale = false;
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
                logKeepSum = Arrays.copyOf(logKeepSum, capacity);
                logBeta1Sum = Arrays.copyOf(logBeta1Sum, capacity);
                ratio = Arrays.copyOf(ratio, capacity);
                drift = Arrays.copyOf(drift, capacity);
                lag = Arrays.copyOf(lag, capacity);
                drift0 = Arrays.copyOf(drift0, capacity);
                lag0 = Arrays.copyOf(lag0, capacity);
                frozenAt = Arrays.copyOf(frozenAt, capacity);
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

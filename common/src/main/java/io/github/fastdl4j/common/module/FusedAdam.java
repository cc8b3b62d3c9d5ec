package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * {@link AdamW}'s FUSED kernel: decay, moments, step and zeroing of the gradient in one
 * vectorisable JVM loop over FLOAT values, with ND4J's exact formula. The parameter and its
 * gradient are bulk-copied between ND4J's host memory and scratch arrays; the moments live in
 * JVM arrays (m and v apart: with one [m | v] array C2 cannot prove the two halves independent
 * and does not vectorise the loop, measured 5.5 vs 1.7 ns per value).
 */
final class FusedAdam {

    /** The scalars of one Adam step, in float as the kernels use them. */
    record Coefficients(float alpha, float eps, float b1, float c1, float b2, float c2, float keep) {

        /**
         * Step {@code t}'s scalars (t counts from 1). Like ND4J, epsilon is added to sqrt(v)
         * before bias-correcting the step size ({@code alpha}).
         */
        static Coefficients of(int t, double lr, double wd, double beta1, double beta2, double eps) {
            double alpha = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
            if (!Double.isFinite(alpha) || alpha == 0) {
                alpha = eps; // as ND4J's kernel does
            }
            return new Coefficients((float) alpha, (float) eps, (float) beta1, (float) (1 - beta1), (float) beta2,
                    (float) (1 - beta2), (float) (1 - lr * wd));
        }
    }

    private float[] wScratch = new float[0];
    private float[] gScratch = new float[0];
    private float[] zeros = new float[0];

    /** Makes room for parameters of n values. */
    void reserve(int n) {
        if (n > wScratch.length) {
            wScratch = new float[n];
            gScratch = new float[n];
            zeros = new float[n];
        }
    }

    /** Scratch for one row's values (what {@link LazyRows} reads a row into). */
    float[] values() {
        return wScratch;
    }

    /** One step on every value of {@code p}; the gradient is zeroed. */
    void step(Parameter p, float[] ms, float[] vs, Coefficients c) {
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

    /** Reads {@code width} values and gradients at {@code off} into the scratch arrays ({@link #values()}). */
    void readRow(FloatBuffer wb, FloatBuffer gb, int off, int width) {
        wb.get(off, wScratch, 0, width);
        gb.get(off, gScratch, 0, width);
    }

    /** One step on the row in the scratch arrays (its moments at {@code off}). */
    void stepRow(float[] ms, float[] vs, int off, int width, Coefficients c) {
        update(wScratch, gScratch, ms, vs, off, width, c);
    }

    /** Writes the row's values back and zeroes its gradient. */
    void writeRow(FloatBuffer wb, FloatBuffer gb, int off, int width) {
        wb.put(off, wScratch, 0, width);
        gb.put(off, zeros, 0, width);
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
}

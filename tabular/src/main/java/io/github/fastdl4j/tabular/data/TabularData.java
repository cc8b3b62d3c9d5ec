package io.github.fastdl4j.tabular.data;

/**
 * A processed table ready for a model: categorical codes and normalised continuous values,
 * row-major, and the target if the frame had one.
 *
 * @param rows  number of rows
 * @param nCat  categorical columns (codes {@code cats[row * nCat + j]}, 0 = #na#)
 * @param cats  the codes
 * @param nCont continuous columns
 * @param conts the normalised values, {@code conts[row * nCont + j]}
 * @param y     the (possibly log-transformed) target, or null
 */
public record TabularData(int rows, int nCat, int[] cats, int nCont, float[] conts, float[] y) {

    /** One categorical column's codes as floats, the way DL4J's embedding layers take indices. */
    public float[] catColumn(int j) {
        return catColumn(j, 0, rows);
    }

    /** Codes of column {@code j} for rows {@code from} (inclusive) to {@code to} (exclusive), as floats. */
    public float[] catColumn(int j, int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = cats[i * nCat + j];
        }
        return out;
    }

    /** The rows {@code select}, in that order. */
    public TabularData rows(int[] select) {
        int[] c = new int[select.length * nCat];
        float[] x = new float[select.length * nCont];
        float[] t = y == null ? null : new float[select.length];
        for (int i = 0; i < select.length; i++) {
            int r = select[i];
            System.arraycopy(cats, r * nCat, c, i * nCat, nCat);
            System.arraycopy(conts, r * nCont, x, i * nCont, nCont);
            if (t != null) {
                t[i] = y[r];
            }
        }
        return new TabularData(select.length, nCat, c, nCont, x, t);
    }
}

package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * An embedding: a {@code [rows, width]} weight {@link Parameter} that a forward pass reads a
 * batch's rows of and whose gradient a backward pass adds to those rows only (PyTorch's
 * {@code nn.Embedding}). The one copy of the embedding kernels of the from-scratch modules:
 * gathering rows into a batch's input ({@link #gather}), adding a batch's gradients back to
 * them ({@link #scatterAdd}), and, for models that never build that input (dot products), the
 * fused {@link #dot} and {@link #addDotGradients} over two rows.
 *
 * <p>A {@link #sparse} table's gradient touches few rows per step (the batch's users and
 * movies), so a {@link AdamW.Mode#LAZY} optimiser may update only those rows. The table is the
 * one place that knows which rows a step read and wrote: a module reads rows after
 * {@link #sync} (or through {@link #gather}, which syncs) and marks rows whose gradient it
 * wrote with {@link #touch} (or through {@link #scatterAdd}).
 */
public final class EmbeddingTable {

    private final Parameter weight;
    private final int width;
    // sparse tables: which rows the gradient touched since the last optimiser step
    private final boolean sparse;
    private final boolean[] touched;
    private int[] touchedRows;
    private int touchedCount;
    // the LAZY optimiser that keeps this table's rows (the last one constructed over it), and the table's slot there
    private LazyRows lazy;
    private int lazySlot;

    private EmbeddingTable(String name, INDArray value, boolean decay, boolean sparse) {
        if (value.rank() != 2 || value.ordering() != 'c') {
            throw new IllegalArgumentException("an embedding is a row-major [rows, width] table; " + name + " is "
                    + Arrays.toString(value.shape()));
        }
        this.sparse = sparse;
        this.weight = new Parameter(name, value, decay, sparse ? this : null);
        this.width = (int) value.size(1);
        this.touched = sparse ? new boolean[(int) value.size(0)] : null;
        this.touchedRows = sparse ? new int[64] : null;
    }

    /**
     * A table whose rows a {@link AdamW.Mode#LAZY} optimiser updates only when a step touched
     * them, like PyTorch's {@code nn.Embedding(sparse=True)}.
     *
     * @param value the initial [rows, width] values (kept, not copied)
     */
    public static EmbeddingTable sparse(String name, INDArray value, boolean decay) {
        return new EmbeddingTable(name, value, decay, true);
    }

    /** A table every optimiser updates densely (every row, every step). */
    public static EmbeddingTable dense(String name, INDArray value, boolean decay) {
        return new EmbeddingTable(name, value, decay, false);
    }

    /** The weight, for {@link Module#parameters()}. */
    public Parameter parameter() {
        return weight;
    }

    /** True for {@link #sparse} tables. */
    public boolean isSparse() {
        return sparse;
    }

    /** Values per row. */
    public int width() {
        return width;
    }

    /** Number of rows (the vocabulary size). */
    public int rows() {
        return (int) weight.value().size(0);
    }

    /** A view of the values, for the fused kernels (one per forward or backward pass, not per row). */
    public NioView values() {
        return NioView.of(weight.value());
    }

    /** A view of the gradient. */
    public NioView grads() {
        return NioView.of(weight.grad());
    }

    /**
     * Call before a training forward reads {@code row} itself (not through {@link #gather}): a
     * {@link AdamW.Mode#LAZY} optimiser first replays the steps the row missed, so the gradient is
     * taken where DENSE would take it. A no-op otherwise.
     */
    public void sync(int row) {
        if (lazy != null) {
            lazy.syncRow(lazySlot, row);
        }
    }

    /** Call after writing {@code row}'s gradient itself (not through {@link #scatterAdd}); a no-op for dense tables. */
    public void touch(int row) {
        if (sparse && !touched[row]) {
            touched[row] = true;
            if (touchedCount == touchedRows.length) {
                touchedRows = Arrays.copyOf(touchedRows, touchedCount * 2);
            }
            touchedRows[touchedCount++] = row;
        }
    }

    /** How many distinct rows were touched since the last optimiser step. */
    int touchedCount() {
        return touchedCount;
    }

    /** The i-th touched row, in the order first touched. */
    int touchedRow(int i) {
        return touchedRows[i];
    }

    /** Forgets the touched rows (the optimiser calls this after each step). */
    void clearTouched() {
        for (int i = 0; i < touchedCount; i++) {
            touched[touchedRows[i]] = false;
        }
        touchedCount = 0;
    }

    /** A LAZY optimiser takes over this table's rows ({@link #sync} goes to it). */
    void attach(LazyRows rows, int slot) {
        this.lazy = rows;
        this.lazySlot = slot;
    }

    /**
     * Copies row {@code rows[i]} to row i of a batch's input: {@code dst[i * dstStride + dstOff + c]
     * = table[rows[i], c] * mask[i * maskStride + maskOff + c]} for c below {@link #width()}.
     *
     * @param mask an embedding-dropout mask (with the survivors' scale), or null
     */
    public void gather(int[] rows, NioView dst, int dstStride, int dstOff, float[] mask, int maskStride, int maskOff) {
        NioView v = values();
        for (int i = 0; i < rows.length; i++) {
            sync(rows[i]);
            int src = rows[i] * width;
            int to = i * dstStride + dstOff;
            if (mask == null) {
                for (int c = 0; c < width; c++) {
                    dst.set(to + c, v.get(src + c));
                }
            } else {
                int m = i * maskStride + maskOff;
                for (int c = 0; c < width; c++) {
                    dst.set(to + c, v.get(src + c) * mask[m + c]);
                }
            }
        }
    }

    /**
     * {@link #gather}'s backward: adds row i of a batch's gradient to the gradient of row
     * {@code rows[i]} (rows that repeat in a batch add up), times the same mask.
     */
    public void scatterAdd(int[] rows, NioView src, int srcStride, int srcOff, float[] mask, int maskStride, int maskOff) {
        NioView g = grads();
        for (int i = 0; i < rows.length; i++) {
            int to = rows[i] * width;
            int from = i * srcStride + srcOff;
            if (mask == null) {
                for (int c = 0; c < width; c++) {
                    g.add(to + c, src.get(from + c));
                }
            } else {
                int m = i * maskStride + maskOff;
                for (int c = 0; c < width; c++) {
                    g.add(to + c, src.get(from + c) * mask[m + c]);
                }
            }
            touch(rows[i]);
        }
        g.commit();
    }

    /**
     * {@code z + a[offA .. offA+k) . b[offB .. offB+k)}: a user's factors times a movie's, added
     * term by term to z (the biases), in the order the dot models always summed.
     */
    public static double dot(double z, NioView a, int offA, NioView b, int offB, int k) {
        double s = z;
        for (int j = 0; j < k; j++) {
            s += a.get(offA + j) * b.get(offB + j);
        }
        return s;
    }

    /** {@link #dot}'s backward for dLoss/d(dot) = dz: adds dz b to a's gradient rows and dz a to b's. */
    public static void addDotGradients(double dz, NioView a, NioView gradA, int offA, NioView b, NioView gradB, int offB,
                                       int k) {
        for (int j = 0; j < k; j++) {
            double av = a.get(offA + j);
            gradA.add(offA + j, dz * b.get(offB + j));
            gradB.add(offB + j, dz * av);
        }
    }

    /**
     * An index column [bs, 1] of any numeric type as row numbers, each checked to be a whole
     * number in {@code 0 .. rows-1} (a wrong index would otherwise read another row, or fail
     * deep in a loop).
     */
    public static int[] indices(INDArray column, int rows) {
        INDArray a = column.dataType() == DataType.FLOAT || column.dataType() == DataType.DOUBLE
                ? (column.isView() || column.ordering() != 'c' ? column.dup('c') : column) : column.castTo(DataType.DOUBLE);
        NioView v = NioView.of(a);
        int[] idx = new int[v.length()];
        for (int i = 0; i < idx.length; i++) {
            double d = v.get(i);
            int r = (int) d;
            if (r != d || r < 0 || r >= rows) {
                throw new IllegalArgumentException("index " + d + " outside 0.." + (rows - 1));
            }
            idx[i] = r;
        }
        return idx;
    }
}

package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named, trainable array and its gradient, like PyTorch's {@code nn.Parameter}: the value is
 * changed in place by the optimiser, the gradient is written by the module's backward pass.
 */
public final class Parameter {

    private final String name;
    private final INDArray value;
    private final INDArray grad;
    private final boolean decay;
    // row-sparse parameters (embedding tables): which rows the gradient touched since the last step
    private final boolean rowSparse;
    private final boolean[] touched;
    private int[] touchedRows;
    private int touchedCount;
    private java.util.function.IntConsumer rowSync; // set by a LAZY AdamW

    /**
     * @param name  unique name within its module, e.g. {@code movie_bias}
     * @param value the initial value (kept, not copied)
     * @param decay whether weight decay applies (fastai leaves biases of batchnorm out; we let
     *              each module choose)
     */
    public Parameter(String name, INDArray value, boolean decay) {
        this(name, value, decay, false);
    }

    private Parameter(String name, INDArray value, boolean decay, boolean rowSparse) {
        this.name = Objects.requireNonNull(name);
        this.value = Objects.requireNonNull(value);
        this.grad = Nd4j.zeros(value.dataType(), value.shape());
        this.decay = decay;
        this.rowSparse = rowSparse;
        if (rowSparse && (value.rank() != 2 || value.ordering() != 'c')) {
            throw new IllegalArgumentException("a row-sparse parameter is a row-major [rows, width] table; " + name + " is "
                    + Arrays.toString(value.shape()));
        }
        this.touched = rowSparse ? new boolean[(int) value.size(0)] : null;
        this.touchedRows = rowSparse ? new int[64] : null;
    }

    /**
     * A table whose gradient, in each step, has few non-zero rows (an embedding: only the batch's
     * users and movies), like PyTorch's {@code nn.Embedding(sparse=True)}. The module's backward
     * must call {@link #touchRow} for every row it writes a gradient to, and its training forward
     * {@link #syncRow} for every row it reads; a lazy optimiser ({@link AdamW.Mode#LAZY}) then
     * updates only those rows.
     */
    public static Parameter rowSparse(String name, INDArray value, boolean decay) {
        return new Parameter(name, value, decay, true);
    }

    /** True for {@link #rowSparse} tables. */
    public boolean isRowSparse() {
        return rowSparse;
    }

    /** Values per row of a row-sparse table (its second dimension). */
    public int rowWidth() {
        return (int) value.size(1);
    }

    /**
     * Call before a training forward reads {@code row}: a {@link AdamW.Mode#LAZY} optimiser first
     * replays the steps the row missed, so the gradient is taken where DENSE would take it. A
     * no-op for other optimisers.
     */
    public void syncRow(int row) {
        if (rowSync != null) {
            rowSync.accept(row);
        }
    }

    /** The optimiser that keeps this table's rows (the last one constructed over it). */
    void onRowSync(java.util.function.IntConsumer sync) {
        this.rowSync = sync;
    }

    /** Records that the gradient of {@code row} was written since the last optimiser step. */
    public void touchRow(int row) {
        if (!rowSparse) {
            throw new IllegalStateException(name + " is not row-sparse");
        }
        if (!touched[row]) {
            touched[row] = true;
            if (touchedCount == touchedRows.length) {
                touchedRows = Arrays.copyOf(touchedRows, touchedCount * 2);
            }
            touchedRows[touchedCount++] = row;
        }
    }

    /** How many distinct rows were touched since the last {@link #clearTouched}. */
    public int touchedCount() {
        return touchedCount;
    }

    /** The i-th touched row, in the order first touched. */
    public int touchedRow(int i) {
        return touchedRows[i];
    }

    /** Forgets the touched rows (the optimiser calls this after each step). */
    public void clearTouched() {
        if (!rowSparse) {
            return;
        }
        for (int i = 0; i < touchedCount; i++) {
            touched[touchedRows[i]] = false;
        }
        touchedCount = 0;
    }

    public String name() {
        return name;
    }

    /** The value, updated in place by training. */
    public INDArray value() {
        return value;
    }

    /** The gradient of the loss with respect to the value, written by {@link Module#backward}. */
    public INDArray grad() {
        return grad;
    }

    public boolean decay() {
        return decay;
    }

    /** The shape, like {@code model.movie_bias.shape} in PyTorch. */
    public long[] shape() {
        return value.shape();
    }

    public long length() {
        return value.length();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape());
    }
}

package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Element access to an ND4J array's memory from the JVM, without a native call per element:
 * for the small, scattered work of embedding models (a few rows per step) a tight Java loop over
 * the array's NIO view beats a chain of ND4J ops, each of which costs tens of microseconds of
 * dispatch in DL4J M2.1. Parameters stay INDArrays for everything else (updaters, saving).
 *
 * <p>The array must be contiguous, row-major and unsliced (a module's own parameters are). On a
 * GPU backend the view works on the host copy: {@link #of} fetches it, {@link #commit} marks it
 * as the current one (both are no-ops on the CPU backend).
 */
public abstract class NioView {

    protected final INDArray array;

    private NioView(INDArray array) {
        this.array = array;
    }

    /**
     * A view of a flat copy of {@code array} as {@code type}: for reading an array the module does
     * not own (a gradient from the loss, possibly a view or of another type).
     */
    public static NioView copyOf(INDArray array, DataType type) {
        return of(array.reshape(array.length()).castTo(type).dup());
    }

    /** A view for reading and writing {@code array}, a FLOAT or DOUBLE array. */
    public static NioView of(INDArray array) {
        if (array.isView() || array.ordering() != 'c' || array.offset() != 0) {
            throw new IllegalArgumentException("NioView needs a contiguous row-major array that is not a view");
        }
        Nd4j.getAffinityManager().ensureLocation(array, AffinityManager.Location.HOST);
        if (array.dataType() == DataType.FLOAT) {
            return new Floats(array);
        }
        if (array.dataType() == DataType.DOUBLE) {
            return new Doubles(array);
        }
        throw new IllegalArgumentException("NioView supports FLOAT and DOUBLE, not " + array.dataType());
    }

    // values above which a bulk copy is split over the cores (absolute bulk gets and puts on
    // disjoint ranges of one buffer are independent)
    private static final int PARALLEL_COPY = 1 << 18;

    /**
     * Copies a FLOAT array's first {@code to.length} values into a JVM array in one bulk copy:
     * for modules whose loops run over plain {@code float[]}s (which the JIT compiles to
     * vectorised code) and hand large blocks to BLAS through INDArrays.
     */
    public static void copy(INDArray from, float[] to) {
        requireFloatBuffer(from, to.length);
        Nd4j.getAffinityManager().ensureLocation(from, AffinityManager.Location.HOST);
        FloatBuffer b = from.data().asNioFloat();
        RowRanges.of(to.length, to.length >= PARALLEL_COPY).forEach(r -> b.get(r[0], to, r[0], r[1] - r[0]));
    }

    /** Copies {@code from} into a FLOAT array's first {@code from.length} values, in one bulk copy. */
    public static void copy(float[] from, INDArray to) {
        requireFloatBuffer(to, from.length);
        Nd4j.getAffinityManager().ensureLocation(to, AffinityManager.Location.HOST);
        FloatBuffer b = to.data().asNioFloat();
        RowRanges.of(from.length, from.length >= PARALLEL_COPY).forEach(r -> b.put(r[0], from, r[0], r[1] - r[0]));
        Nd4j.getAffinityManager().tagLocation(to, AffinityManager.Location.HOST);
    }

    private static void requireFloatBuffer(INDArray a, int length) {
        if (a.dataType() != DataType.FLOAT || a.isView() || a.ordering() != 'c' || a.offset() != 0 || a.length() < length) {
            throw new IllegalArgumentException("bulk copies need a contiguous row-major FLOAT array of at least " + length
                    + " values, not " + a.shapeInfoToString());
        }
    }

    public abstract double get(int i);

    public abstract void set(int i, double v);

    public abstract void add(int i, double v);

    /** Number of elements. */
    public int length() {
        return (int) array.length();
    }

    /** Call after writing: the host copy is the current one (matters on GPU backends only). */
    public void commit() {
        Nd4j.getAffinityManager().tagLocation(array, AffinityManager.Location.HOST);
    }

    private static final class Floats extends NioView {
        private final FloatBuffer b;

        Floats(INDArray a) {
            super(a);
            b = a.data().asNioFloat();
        }

        @Override
        public double get(int i) {
            return b.get(i);
        }

        @Override
        public void set(int i, double v) {
            b.put(i, (float) v);
        }

        @Override
        public void add(int i, double v) {
            b.put(i, b.get(i) + (float) v);
        }
    }

    private static final class Doubles extends NioView {
        private final DoubleBuffer b;

        Doubles(INDArray a) {
            super(a);
            b = a.data().asNioDouble();
        }

        @Override
        public double get(int i) {
            return b.get(i);
        }

        @Override
        public void set(int i, double v) {
            b.put(i, v);
        }

        @Override
        public void add(int i, double v) {
            b.put(i, b.get(i) + v);
        }
    }
}

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

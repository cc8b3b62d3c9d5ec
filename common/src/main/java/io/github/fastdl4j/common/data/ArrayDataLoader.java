package io.github.fastdl4j.common.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Mini-batches from in-memory float arrays, like a PyTorch {@code DataLoader} over a tensor
 * dataset: any number of inputs and labels, each a flat row-major array of {@code n} rows of a
 * fixed shape; shuffled at every {@link #reset()} with a seeded generator when asked, so the
 * order of every epoch is reproducible.
 */
public final class ArrayDataLoader implements SizedIterator {

    private final List<Column> inputs;
    private final List<Column> labels;
    private final int n;
    private final int batchSize;
    private final Random shuffler;
    private final int[] order;
    private int cursor;
    private MultiDataSetPreProcessor preProcessor;

    private ArrayDataLoader(List<Column> inputs, List<Column> labels, int batchSize, Long seed) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input is needed");
        }
        this.inputs = List.copyOf(inputs);
        this.labels = List.copyOf(labels);
        this.n = inputs.get(0).rows();
        for (Column c : inputs) {
            requireRows(c, n);
        }
        for (Column c : labels) {
            requireRows(c, n);
        }
        this.batchSize = batchSize;
        this.shuffler = seed == null ? null : new Random(seed);
        this.order = IntStream.range(0, n).toArray();
        reset();
    }

    private static void requireRows(Column c, int n) {
        if (c.rows() != n) {
            throw new IllegalArgumentException("all inputs and labels need " + n + " rows, one has " + c.rows());
        }
    }

    /** Starts a loader definition. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of rows. */
    public int size() {
        return n;
    }

    @Override
    public long itemCount() {
        return n;
    }

    /** Rows per batch (the last batch of a pass may have fewer). */
    public int batchSize() {
        return batchSize;
    }

    /** Number of batches per pass. */
    @Override
    public int batchCount() {
        return (int) ((n + (long) batchSize - 1) / batchSize); // a batch size near Integer.MAX_VALUE must not overflow
    }

    @Override
    public MultiDataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int end = Math.min(n, cursor + num);
        int[] rows = Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        INDArray[] f = new INDArray[inputs.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = inputs.get(i).gather(rows);
        }
        INDArray[] l = new INDArray[labels.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.get(i).gather(rows);
        }
        MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet(f, l);
        if (preProcessor != null) {
            preProcessor.preProcess(mds);
        }
        return mds;
    }

    @Override
    public MultiDataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return cursor < n;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Back to the first batch; reshuffles when the loader shuffles. */
    @Override
    public void reset() {
        cursor = 0;
        if (shuffler != null) {
            Splits.shuffle(order, shuffler);
        }
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    /** One input or label: n rows of a fixed shape, stored flat. */
    private record Column(float[] data, long[] rowShape, int rowSize) {

        int rows() {
            return data.length / rowSize;
        }

        INDArray gather(int[] rows) {
            float[] buf = new float[rows.length * rowSize];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(data, rows[r] * rowSize, buf, r * rowSize, rowSize);
            }
            long[] shape = new long[rowShape.length + 1];
            shape[0] = rows.length;
            System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
            return Nd4j.create(buf, shape, 'c');
        }
    }

    /** Defines inputs, labels, batch size and shuffling. */
    public static final class Builder {
        private final List<Column> inputs = new ArrayList<>();
        private final List<Column> labels = new ArrayList<>();
        private int batchSize = 64;
        private Long seed;

        /**
         * Adds an input.
         *
         * @param data     all rows, flat, row-major
         * @param rowShape the shape of one row, e.g. {@code 1} for an index, {@code 1, 28, 28} for an image
         */
        public Builder input(float[] data, long... rowShape) {
            inputs.add(column(data, rowShape));
            return this;
        }

        /** Adds a label array, like {@link #input}. */
        public Builder label(float[] data, long... rowShape) {
            labels.add(column(data, rowShape));
            return this;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffles at every reset with this seed (training data); without it the order is fixed. */
        public Builder shuffle(long seed) {
            this.seed = seed;
            return this;
        }

        public ArrayDataLoader build() {
            return new ArrayDataLoader(inputs, labels, batchSize, seed);
        }

        private static Column column(float[] data, long[] rowShape) {
            int size = 1;
            for (long d : rowShape) {
                size *= (int) d;
            }
            if (size == 0 || data.length % size != 0) {
                throw new IllegalArgumentException("array of " + data.length + " values is not whole rows of shape "
                        + Arrays.toString(rowShape));
            }
            return new Column(data, rowShape.clone(), size);
        }
    }
}

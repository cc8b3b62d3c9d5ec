package io.github.fastdl4j.common.data;

import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * A user's iterator with the batch count its owner declared; every call goes to the iterator
 * itself.
 * DL4J's own schedules take their length the same way, from the user
 * ({@code CycleSchedule(ITERATION, ..., cycleLength)}).
 */
final class DeclaredSizeIterator implements SizedIterator {

    private final MultiDataSetIterator inner;
    private final int batches;
    private final long items;

    DeclaredSizeIterator(MultiDataSetIterator inner, int batches, long items) {
        if (batches < 1) {
            throw new IllegalArgumentException("batches per epoch must be >= 1, got " + batches);
        }
        this.inner = inner;
        this.batches = batches;
        this.items = items;
    }

    @Override
    public int batchCount() {
        return batches;
    }

    @Override
    public long itemCount() {
        return items;
    }

    @Override
    public MultiDataSet next(int num) {
        return inner.next(num);
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        inner.setPreProcessor(preProcessor);
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return inner.getPreProcessor();
    }

    @Override
    public boolean resetSupported() {
        return inner.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return inner.asyncSupported();
    }

    @Override
    public void reset() {
        inner.reset();
    }

    @Override
    public boolean hasNext() {
        return inner.hasNext();
    }

    @Override
    public MultiDataSet next() {
        return inner.next();
    }
}

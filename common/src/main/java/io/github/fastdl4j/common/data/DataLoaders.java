package io.github.fastdl4j.common.data;

import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Training and validation batches, like fastai's {@code DataLoaders}.
 *
 * @param train shuffled training batches
 * @param valid validation batches in a fixed order
 */
public record DataLoaders(MultiDataSetIterator train, MultiDataSetIterator valid) {

    /**
     * A DL4J pipeline a user already has, e.g. DataVec's {@code CSVRecordReader} under a
     * {@code RecordReaderDataSetIterator}, as fastdl4j's loaders: the {@code Learner} then trains
     * from it with its own loop (one-cycle, the metrics table, charts, save). The iterators must
     * support {@code reset()} (each epoch starts over); shuffling is theirs to do. DL4J's iterators
     * do not say how many batches they hold, so the {@code Learner} reads the training one once to
     * count (one-cycle needs the number of steps up front):
     * {@link #of(DataSetIterator, DataSetIterator, int)} saves that pass.
     */
    public static DataLoaders of(DataSetIterator train, DataSetIterator valid) {
        requireReset(train, valid);
        return new DataLoaders(new MultiDataSetIteratorAdapter(train), new MultiDataSetIteratorAdapter(valid));
    }

    /**
     * As {@link #of(DataSetIterator, DataSetIterator)}, with the number of training batches an
     * epoch given, as DL4J's schedules take their length: the training data is then never read
     * just to count it. A wrong count skews one-cycle's schedule, and the fit says so after the
     * first epoch.
     */
    public static DataLoaders of(DataSetIterator train, DataSetIterator valid, int trainBatchesPerEpoch) {
        requireReset(train, valid);
        return new DataLoaders(new DeclaredSizeIterator(new MultiDataSetIteratorAdapter(train), trainBatchesPerEpoch, -1),
                new MultiDataSetIteratorAdapter(valid));
    }

    private static void requireReset(DataSetIterator train, DataSetIterator valid) {
        if (!train.resetSupported() || !valid.resetSupported()) {
            throw new IllegalArgumentException("the iterators must support reset(): every epoch reads them again");
        }
    }

    /** How many training items (rows, images) there are, where the loader knows; -1 for a user's own iterator. */
    public long trainSize() {
        return size(train);
    }

    /** How many validation items there are, where the loader knows; -1 for a user's own iterator. */
    public long validSize() {
        return size(valid);
    }

    /** Training batches an epoch, where the loader knows or was told; -1 otherwise (read it to count). */
    public int trainBatches() {
        return train instanceof SizedIterator s ? s.batchCount() : -1;
    }

    private static long size(MultiDataSetIterator it) {
        return it instanceof SizedIterator s ? s.itemCount() : -1;
    }
}

package io.github.fastdl4j.common.data;

import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Batches that know how many of them an epoch holds, as PyTorch's {@code len(dataloader)}:
 * one-cycle needs the total number of steps before the first one, and a loader that can say
 * it saves the {@code Learner} a pass over the data just to count.
 */
public interface SizedIterator extends MultiDataSetIterator {

    /** Batches per pass over the data. */
    int batchCount();

    /** Items (rows, images) per pass, or -1 where only the batch count is known. */
    long itemCount();
}

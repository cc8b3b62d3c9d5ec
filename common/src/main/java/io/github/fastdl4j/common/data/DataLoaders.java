package io.github.fastdl4j.common.data;

import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Training and validation batches, like fastai's {@code DataLoaders}.
 *
 * @param train shuffled training batches
 * @param valid validation batches in a fixed order
 */
public record DataLoaders(MultiDataSetIterator train, MultiDataSetIterator valid) {
}

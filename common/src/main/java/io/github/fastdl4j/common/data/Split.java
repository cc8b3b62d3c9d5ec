package io.github.fastdl4j.common.data;

/**
 * Row indices of a training and a validation set.
 *
 * @param train indices of training rows
 * @param valid indices of validation rows
 */
public record Split(int[] train, int[] valid) {
}

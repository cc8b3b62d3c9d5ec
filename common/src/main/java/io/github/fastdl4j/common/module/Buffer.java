package io.github.fastdl4j.common.module;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named array a module keeps and saves with its weights but never trains, like PyTorch's
 * {@code register_buffer} (batchnorm's running statistics): no gradient, and the optimiser never
 * sees it. The module updates it itself (in a training forward).
 *
 * @param name  unique among the module's parameters and buffers, e.g. {@code bn0_running_mean}
 * @param value the array, updated in place
 */
public record Buffer(String name, INDArray value) {

    public Buffer {
        Objects.requireNonNull(name);
        Objects.requireNonNull(value);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(value.shape());
    }
}

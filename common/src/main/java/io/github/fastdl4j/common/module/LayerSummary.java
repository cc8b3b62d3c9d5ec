package io.github.fastdl4j.common.module;

import java.util.List;

/**
 * One row of a {@link Module}'s layer view, as fastai's {@code summary} prints a PyTorch module:
 * a layer, its output shape for a batch (batch first) and its trainable values.
 *
 * @param name   the layer's name (its parameters' prefix where it has some)
 * @param type   PyTorch's name for the kind of layer: Conv2d, BatchNorm2d, ReLU, Linear, Embedding, ...
 * @param shape  output shape for the batch, batch size first
 * @param params trainable values (batchnorm's running statistics are not: they are not trained)
 */
public record LayerSummary(String name, String type, long[] shape, long params) {

    /** Trainable values of {@code ps}: their lengths, without batchnorm's running statistics. */
    public static long trainable(List<Parameter> ps) {
        return ps.stream().filter(p -> !p.name().contains("running_")).mapToLong(Parameter::length).sum();
    }
}

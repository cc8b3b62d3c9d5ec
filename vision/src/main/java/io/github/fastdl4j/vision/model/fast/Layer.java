package io.github.fastdl4j.vision.model.fast;

import io.github.fastdl4j.common.module.LayerSummary;
import io.github.fastdl4j.common.module.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * One layer of a {@link FastNet}: its parameters (owned by the layer, shared by every batch
 * size), the shape it gives for a shape it takes, and a {@link Step} per batch size, which
 * holds the oneDNN primitives and memory for that size.
 */
abstract class Layer {

    final String name;
    final List<Parameter> params = new ArrayList<>();

    Layer(String name) {
        this.name = name;
    }

    List<Parameter> parameters() {
        return params;
    }

    /**
     * fastai's summary rows of the layer for input dims {@code in}: by default one, named by the
     * layer, of PyTorch's type {@link #type}; layers that are several PyTorch modules give one
     * row each.
     */
    List<LayerSummary> summary(long[] in) {
        return List.of(new LayerSummary(name, type(), outDims(in),
                LayerSummary.trainable(params)));
    }

    /** PyTorch's name for the layer. */
    abstract String type();

    /** The output dims (batch first: [n, c, h, w] or [n, features]) for input dims {@code in}. */
    abstract long[] outDims(long[] in);

    /**
     * The layer's work for one batch size.
     *
     * @param in       the input (the previous step's output, or the images), fixed for the step's life
     * @param inDiff   where backward writes dLoss/dInput (same layout as {@code in}); null in
     *                 inference steps and for the first layer (nothing to pass back to the images)
     * @param training batch statistics, dropout, and the memory backward needs
     */
    abstract Step step(Tensor in, long[] inDims, Tensor inDiff, boolean training);

    /** What a layer does for one batch size: forward into {@link #out}; backward from {@link #outDiff}. */
    abstract static class Step {
        final List<Dnnl.Exec> execs = new ArrayList<>();
        final List<Tensor> tensors = new ArrayList<>();
        Tensor out;
        /** dLoss/dOutput, written by the next step's backward (or the loss); null in inference steps. */
        Tensor outDiff;
        long[] outDims;

        abstract void forward();

        /** From {@link #outDiff}: adds the parameters' gradients, writes the input's gradient where one is wanted. */
        abstract void backward();

        Tensor own(Tensor t) {
            tensors.add(t);
            return t;
        }

        Tensor alloc(String name, org.bytedeco.dnnl.dnnl_memory_desc_t md) {
            return own(Tensor.allocate(name, md));
        }

        Dnnl.Exec exec(Dnnl.Exec e) {
            execs.add(e);
            return e;
        }

        void close() {
            execs.forEach(Dnnl.Exec::close);
            tensors.forEach(Tensor::close);
            execs.clear();
            tensors.clear();
        }
    }
}

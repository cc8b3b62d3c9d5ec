package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.NioView;
import io.github.fastdl4j.common.module.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * fastbook's chapter-13 {@code simple_cnn} written from scratch as a {@link Module}: five
 * stride-2 {@link ConvLayer}s (conv + batchnorm + ReLU; the last without activation), channels
 * 1 -> 8 (5x5) -> 16 -> 32 -> 64 -> 10, taking 28x28 down to 1x1, then flatten: the output is the
 * 10 logits (train with {@code Losses.crossEntropyOnLogits()}). Other channel counts give the
 * same net wider ({@link Arch#WIDE_CNN}).
 * Parameters are FLOAT.
 *
 * <p>Why it exists beside {@link Architectures#build}'s DL4J graph of the same net: each DL4J
 * layer adds its own passes, workspace and layout handling; here a layer is one im2col loop, one
 * BLAS multiply and one pass of batchnorm and activation. {@code vision bench} measures both.
 */
public final class SimpleCnn implements Module {

    private final List<ConvLayer> layers = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private final double dropout;
    private final SplittableRandom dropoutRng;
    private float[] mask;
    private float[] input;
    private final int classes;

    /** fastbook's simple_cnn, channels 1-8-16-32-64-10. */
    public SimpleCnn(ArchOptions o) {
        this(o, Arch.SIMPLE_CNN.convLayerChannels());
    }

    /**
     * @param o        activation, dropout before the loss (probability of dropping), batchnorm, seed
     * @param channels the six channel counts: input (1), the five layers' outputs (the last is the
     *                 number of classes)
     */
    public SimpleCnn(ArchOptions o, int[] channels) {
        if (channels.length != 6 || channels[0] != 1) {
            throw new IllegalArgumentException("simple-cnn takes six channel counts starting with 1 (grey images), got "
                    + java.util.Arrays.toString(channels));
        }
        this.classes = channels[5];
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(o.seed());
        ConvLayer.Act act = o.activation().equals("mish") ? ConvLayer.Act.MISH : ConvLayer.Act.RELU;
        for (int l = 0; l < 5; l++) {
            boolean last = l == 4;
            layers.add(new ConvLayer("conv" + (l + 1), channels[l], channels[l + 1], l == 0 ? 5 : 3, 2,
                    last ? ConvLayer.Act.NONE : act, o.batchnorm(), rng));
        }
        layers.forEach(c -> params.addAll(c.parameters()));
        this.dropout = o.dropout();
        this.dropoutRng = new SplittableRandom(o.seed() ^ 0x5DEECE66DL);
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /** @param inputs one array, images [n, 1, 28, 28] */
    @Override
    public INDArray forward(INDArray[] inputs, boolean training) {
        INDArray images = inputs[0];
        if (images.rank() != 4 || images.size(1) != 1) {
            throw new IllegalArgumentException("simple-cnn expects images [n, 1, h, w], got " + images.shapeInfoToString());
        }
        int n = (int) images.size(0), h = (int) images.size(2), w = (int) images.size(3);
        // one channel: [n, 1, h, w] row-major is already channels-last
        INDArray contiguous = images.dataType() == DataType.FLOAT && !images.isView() && images.ordering() == 'c'
                && images.offset() == 0 ? images : images.castTo(DataType.FLOAT).dup('c');
        if (input == null || input.length != n * h * w) {
            input = new float[n * h * w];
        }
        NioView.copy(contiguous, input);
        float[] x = input;
        for (ConvLayer layer : layers) {
            x = layer.forward(x, n, h, w, training);
            h = layer.outSize(h);
            w = layer.outSize(w);
        }
        if (h != 1 || w != 1) {
            throw new IllegalArgumentException("simple-cnn needs images that its five stride-2 layers take to 1x1 "
                    + "(17x17 to 32x32, e.g. MNIST's 28x28); got " + images.size(2) + "x" + images.size(3));
        }
        float[] logits = java.util.Arrays.copyOf(x, n * classes);     // [n * 1 * 1, classes]: flatten is free
        mask = null;
        if (training && dropout > 0) {
            mask = new float[n * classes];
            float keep = (float) (1 / (1 - dropout));
            for (int i = 0; i < mask.length; i++) {
                mask[i] = dropoutRng.nextDouble() < dropout ? 0f : keep;
                logits[i] *= mask[i];
            }
        }
        return Nd4j.create(logits, new long[]{n, classes}, 'c');
    }

    @Override
    public void backward(INDArray gradOutput) {
        float[] d = gradOutput.castTo(DataType.FLOAT).dup('c').data().asFloat();
        if (mask != null) {
            for (int i = 0; i < mask.length; i++) {
                d[i] *= mask[i];
            }
        }
        for (int l = layers.size() - 1; l >= 0; l--) {
            d = layers.get(l).backward(d, l > 0);
        }
    }
}

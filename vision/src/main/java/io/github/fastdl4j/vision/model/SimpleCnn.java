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
 * same net wider ({@link Arch#WIDE_CNN}), or for colour images and other numbers of classes.
 * Images of other sizes can end above 1x1 (64x64 ends at 2x2): then the last layer's class
 * scores are averaged over the positions (global average pooling, as the DL4J graph of the same
 * net does) before the loss; MNIST's 28x28 net has no such step and is unchanged.
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
    private final int inChannels;
    private final int size;
    /** Side of the last layer's map for {@link #size}: 1 for MNIST's 28x28; above 1, the scores are averaged. */
    private final int lastSize;
    private float[] pooledGrad;

    /** fastbook's simple_cnn, channels 1-8-16-32-64-10, for MNIST's 28x28 digits. */
    public SimpleCnn(ArchOptions o) {
        this(o, Arch.SIMPLE_CNN.convLayerChannels());
    }

    /** For 28x28 images (MNIST's). */
    public SimpleCnn(ArchOptions o, int[] channels) {
        this(o, channels, 28);
    }

    /**
     * @param o        activation, dropout before the loss (probability of dropping), batchnorm, seed
     * @param channels the six channel counts: input (1 grey, 3 colour), the five layers' outputs
     *                 (the last is the number of classes)
     * @param size     the images are size x size
     */
    public SimpleCnn(ArchOptions o, int[] channels, int size) {
        if (channels.length != 6 || java.util.Arrays.stream(channels).anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("simple-cnn takes six positive channel counts (input first), got "
                    + java.util.Arrays.toString(channels));
        }
        if (size < 1) {
            throw new IllegalArgumentException("image size must be at least 1, got " + size);
        }
        this.classes = channels[5];
        this.inChannels = channels[0];
        this.size = size;
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(o.seed());
        ConvLayer.Act act = o.activation().equals("mish") ? ConvLayer.Act.MISH : ConvLayer.Act.RELU;
        for (int l = 0; l < 5; l++) {
            boolean last = l == 4;
            layers.add(new ConvLayer("conv" + (l + 1), channels[l], channels[l + 1], l == 0 ? 5 : 3, 2,
                    last ? ConvLayer.Act.NONE : act, o.batchnorm(), rng));
        }
        layers.forEach(c -> params.addAll(c.parameters()));
        int s = size;
        for (ConvLayer layer : layers) {
            s = layer.outSize(s);
        }
        this.lastSize = s;
        this.dropout = o.dropout();
        this.dropoutRng = new SplittableRandom(o.seed() ^ 0x5DEECE66DL);
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /** @param inputs one array, images [n, channels, size, size] (MNIST: [n, 1, 28, 28]) */
    @Override
    public INDArray forward(INDArray[] inputs, boolean training) {
        INDArray images = inputs[0];
        if (images.rank() != 4 || images.size(1) != inChannels || images.size(2) != size || images.size(3) != size) {
            throw new IllegalArgumentException("this simple-cnn takes images [n, " + inChannels + ", " + size + ", " + size
                    + "], got " + java.util.Arrays.toString(images.shape()));
        }
        int n = (int) images.size(0), h = size, w = size;
        INDArray contiguous;
        if (inChannels == 1) {
            // one channel: [n, 1, h, w] row-major is already channels-last
            contiguous = images.dataType() == DataType.FLOAT && !images.isView() && images.ordering() == 'c'
                    && images.offset() == 0 ? images : images.castTo(DataType.FLOAT).dup('c');
        } else {
            contiguous = images.castTo(DataType.FLOAT).permute(0, 2, 3, 1).dup('c');   // [n, h, w, c]: channels-last
        }
        if (input == null || input.length != n * h * w * inChannels) {
            input = new float[n * h * w * inChannels];
        }
        NioView.copy(contiguous, input);
        float[] x = input;
        for (ConvLayer layer : layers) {
            x = layer.forward(x, n, h, w, training);
            h = layer.outSize(h);
            w = layer.outSize(w);
        }
        float[] logits;
        if (lastSize == 1) {
            logits = java.util.Arrays.copyOf(x, n * classes);     // [n * 1 * 1, classes]: flatten is free
        } else {
            logits = averagePositions(x, n, h * w);
        }
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

    /**
     * Global average pooling of the last layer's class scores [n, positions, classes]
     * (channels-last) into [n, classes]: the head for images whose last map is larger than 1x1.
     */
    private float[] averagePositions(float[] x, int n, int positions) {
        float[] out = new float[n * classes];
        for (int img = 0; img < n; img++) {
            int o = img * classes;
            double[] sum = new double[classes];
            for (int p = 0, at = img * positions * classes; p < positions; p++, at += classes) {
                for (int k = 0; k < classes; k++) {
                    sum[k] += x[at + k];
                }
            }
            for (int k = 0; k < classes; k++) {
                out[o + k] = (float) (sum[k] / positions);
            }
        }
        return out;
    }

    @Override
    public void backward(INDArray gradOutput) {
        float[] d = gradOutput.castTo(DataType.FLOAT).dup('c').data().asFloat();
        if (mask != null) {
            for (int i = 0; i < mask.length; i++) {
                d[i] *= mask[i];
            }
        }
        if (lastSize > 1) {
            // the average's gradient: each position gets 1/positions of its image's score gradient
            int n = d.length / classes, positions = lastSize * lastSize;
            if (pooledGrad == null || pooledGrad.length != n * positions * classes) {
                pooledGrad = new float[n * positions * classes];
            }
            for (int img = 0; img < n; img++) {
                for (int p = 0, at = img * positions * classes; p < positions; p++, at += classes) {
                    for (int k = 0; k < classes; k++) {
                        pooledGrad[at + k] = d[img * classes + k] / positions;
                    }
                }
            }
            d = pooledGrad;
        }
        for (int l = layers.size() - 1; l >= 0; l--) {
            d = layers.get(l).backward(d, l > 0);
        }
    }
}

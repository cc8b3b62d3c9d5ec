package io.github.fastdl4j.vision.model.fast;

import io.github.fastdl4j.common.module.LayerSummary;
import io.github.fastdl4j.common.module.Module;
import io.github.fastdl4j.common.module.Parameter;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;

/**
 * The lesson's convnets written from scratch as a {@link Module}: our own layers (convolution +
 * batchnorm + activation, max and global pooling, dense, dropout), each running on oneDNN's
 * kernels with the memory kept in oneDNN's preferred layouts from one layer to the next. The
 * output is the class scores (logits: train with {@code Losses.crossEntropyOnLogits()}).
 *
 * <p>For each batch size (and for training and inference) the net builds a plan once: every
 * layer's primitives and every buffer, in oneDNN's chosen layouts; a step then runs the
 * primitives on the same memory, pointing at the batch's images and at the parameters' own
 * arrays without copying them. The last few plans are kept (training, the last smaller batch,
 * validation); their native memory goes with them when the net is no longer reachable.
 */
public final class FastNet implements Module {

    private static final int PLANS_KEPT = 4;
    private static final Cleaner CLEANER = Cleaner.create();

    private final String arch;
    private final List<Layer> layers;
    private final List<Parameter> params = new ArrayList<>();
    private final int channels;
    private final int size;
    private final int classes;
    private final Plans plans = new Plans();
    private Plan trained;

    FastNet(String arch, List<Layer> layers, int channels, int size, int classes) {
        this.arch = arch;
        this.layers = List.copyOf(layers);
        this.channels = channels;
        this.size = size;
        this.classes = classes;
        this.layers.forEach(l -> params.addAll(l.parameters()));
        long[] dims = {1, channels, size, size};
        for (Layer l : this.layers) {
            dims = l.outDims(dims);
        }
        if (dims.length != 2 || dims[1] != classes) {
            throw new IllegalStateException(arch + " ends in " + Arrays.toString(dims) + ", not [n, " + classes + "]");
        }
        CLEANER.register(this, plans::closeAll);
    }

    /**
     * The fast build of {@code arch} for {@code channels} x {@code size} x {@code size} images and
     * {@code classes} classes, with PyTorch's (fastai's) padding.
     */
    public static FastNet of(Arch arch, ArchOptions o, int channels, int size, int classes) {
        return of(arch, o, channels, size, classes, Padding.TORCH);
    }

    /**
     * As {@link #of(Arch, ArchOptions, int, int, int)} with the given padding: {@link Padding#SAME}
     * gives exactly the function of the DL4J graph of {@code Architectures.build} (used to check
     * one against the other).
     */
    public static FastNet of(Arch arch, ArchOptions o, int channels, int size, int classes, Padding padding) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(o.seed());
        Act act = Act.of(o.activation());
        boolean bn = o.batchnorm();
        List<Layer> ls = new ArrayList<>();
        switch (arch) {
            case SIMPLE_CNN, WIDE_CNN -> {
                int[] ch = arch.convLayerChannels(channels, classes);
                int s = size;
                for (int l = 0; l < 5; l++) {
                    ConvBlock c = new ConvBlock("conv" + (l + 1), ch[l], ch[l + 1], l == 0 ? 5 : 3, 2, padding,
                            l == 4 ? Act.NONE : act, bn, rng);
                    ls.add(c);
                    s = c.outSize(s);
                }
                // 28x28 ends at 1x1: a flatten; larger images end larger: the class scores are averaged
                ls.add(s == 1 ? new Flatten("flatten") : Pool.globalAvg("avgpool"));
            }
            case CLASSIC -> {
                ConvBlock c1 = new ConvBlock("conv1", channels, 32, 5, 1, padding, act, bn, rng);
                Pool p1 = Pool.max("pool1", 2, padding);
                ConvBlock c2 = new ConvBlock("conv2", 32, 64, 5, 1, padding, act, bn, rng);
                Pool p2 = Pool.max("pool2", 2, padding);
                long[] d = p2.outDims(c2.outDims(p1.outDims(c1.outDims(new long[]{1, channels, size, size}))));
                int features = (int) (d[1] * d[2] * d[3]);
                ls.addAll(List.of(c1, p1, c2, p2, new Dense("dense", features, 128, act, Dense.Init.RELU, rng)));
                if (o.dropout() > 0) {
                    ls.add(new Dropout("dropout", o.dropout(), o.seed()));
                }
                ls.add(new Dense("out", 128, classes, Act.NONE, Dense.Init.XAVIER, rng));
            }
            case STRIDE2, CONCAT -> {
                ls.add(new ConvBlock("conv1", channels, 32, 3, 2, padding, act, bn, rng));
                ls.add(new ConvBlock("conv2", 32, 64, 3, 2, padding, act, bn, rng));
                ls.add(new ConvBlock("conv3", 64, 128, 3, 1, padding, act, bn, rng));
                ls.add(arch == Arch.CONCAT ? Pool.concat("concatpool") : Pool.globalAvg("avgpool"));
                if (o.dropout() > 0) {
                    ls.add(new Dropout("dropout", o.dropout(), o.seed()));
                }
                ls.add(new Dense("out", arch == Arch.CONCAT ? 256 : 128, classes, Act.NONE, Dense.Init.XAVIER, rng));
            }
        }
        if ((arch == Arch.SIMPLE_CNN || arch == Arch.WIDE_CNN) && o.dropout() > 0) {
            ls.add(new Dropout("dropout", o.dropout(), o.seed()));     // on the class scores, as the DL4J graph
        }
        return new FastNet(arch.cliName(), ls, channels, size, classes);
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    /** Where each dropout layer's generator stands, for a checkpoint (none without dropout). */
    @Override
    public long[] randomState() {
        return layers.stream().filter(Dropout.class::isInstance).mapToLong(l -> ((Dropout) l).rng.state()).toArray();
    }

    @Override
    public void randomState(long[] state) {
        List<Dropout> drops = layers.stream().filter(Dropout.class::isInstance).map(Dropout.class::cast).toList();
        if (state.length != drops.size()) {
            throw new IllegalArgumentException(arch + " has " + drops.size() + " dropout generators, got " + state.length + " states");
        }
        for (int i = 0; i < state.length; i++) {
            drops.get(i).rng.state(state[i]);
        }
    }

    /** Each layer's rows, with the output shapes of {@code sample}'s batch size (the shapes are computed, not run). */
    @Override
    public List<LayerSummary> layers(INDArray[] sample) {
        long[] dims = {sample[0].size(0), channels, size, size};
        List<LayerSummary> rows = new ArrayList<>();
        for (Layer l : layers) {
            rows.addAll(l.summary(dims));
            dims = l.outDims(dims);
        }
        return rows;
    }

    /** @param inputs one array, images [n, channels, size, size] */
    @Override
    public INDArray forward(INDArray[] inputs, boolean training) {
        INDArray images = inputs[0];
        if (images.rank() != 4 || images.size(1) != channels || images.size(2) != size || images.size(3) != size) {
            throw new IllegalArgumentException("this " + arch + " takes images [n, " + channels + ", " + size + ", " + size
                    + "], got " + Arrays.toString(images.shape()));
        }
        if (images.dataType() != DataType.FLOAT || images.isView() || images.ordering() != 'c' || images.offset() != 0) {
            images = images.castTo(DataType.FLOAT).dup('c');
        }
        int n = (int) images.size(0);
        long t0 = Dnnl.PROFILE ? System.nanoTime() : 0;
        Plan p = plans.get(this, n, training);
        p.input.point(images);
        for (Layer.Step s : p.steps) {
            s.forward();
        }
        Dnnl.waitStream();
        trained = training ? p : null;
        INDArray out = p.last().out.toArray(n, classes);
        if (Dnnl.PROFILE) {
            Profile.add("java: forward total (" + (training ? "training" : "inference") + ")", System.nanoTime() - t0);
        }
        return out;
    }

    @Override
    public void backward(INDArray gradOutput) {
        Plan p = trained;
        if (p == null || p.closed) {
            throw new IllegalStateException("backward needs a training forward first");
        }
        trained = null;
        long t0 = Dnnl.PROFILE ? System.nanoTime() : 0;
        p.last().outDiff.copyFrom(gradOutput);
        for (int i = p.steps.size() - 1; i >= 0; i--) {
            p.steps.get(i).backward();
        }
        Dnnl.waitStream();
        if (Dnnl.PROFILE) {
            Profile.add("java: backward total", System.nanoTime() - t0);
        }
    }

    /** oneDNN's implementation of each primitive of the training plan for {@code n} images, for the notes and tests. */
    public List<String> implementations(int n) {
        List<String> out = new ArrayList<>();
        for (Layer.Step s : plans.get(this, n, true).steps) {
            for (Dnnl.Exec e : s.execs) {
                out.add(e.name + ": " + Dnnl.impl(e.pd));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "FastNet(" + arch + ", " + channels + "x" + size + "x" + size + " -> " + classes + ")";
    }

    /** One batch size's steps. */
    private static final class Plan {
        final Tensor input;
        final List<Layer.Step> steps = new ArrayList<>();
        boolean closed;

        Plan(FastNet net, int n, boolean training) {
            long[] dims = {n, net.channels, net.size, net.size};
            input = Tensor.external("images", Dnnl.md(dims, dnnl_nchw));
            Tensor in = input;
            Tensor inDiff = null;
            try {
                for (Layer l : net.layers) {
                    Layer.Step s = l.step(in, dims, inDiff, training);
                    steps.add(s);
                    in = s.out;
                    inDiff = s.outDiff;
                    dims = s.outDims;
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        Layer.Step last() {
            return steps.get(steps.size() - 1);
        }

        void close() {
            closed = true;
            steps.forEach(Layer.Step::close);
            input.close();
        }
    }

    /** The plans kept, least recently used first out. Holds no reference to the net (the cleaner closes it). */
    private static final class Plans {
        private final Map<Long, Plan> kept = new LinkedHashMap<>(8, 0.75f, true);

        synchronized Plan get(FastNet net, int n, boolean training) {
            long key = n * 2L + (training ? 1 : 0);
            Plan p = kept.get(key);
            if (p == null) {
                p = new Plan(net, n, training);
                kept.put(key, p);
                if (kept.size() > PLANS_KEPT) {
                    Long oldest = kept.keySet().iterator().next();
                    kept.remove(oldest).close();
                }
            }
            return p;
        }

        synchronized void closeAll() {
            kept.values().forEach(Plan::close);
            kept.clear();
        }
    }
}

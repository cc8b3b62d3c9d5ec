package io.github.fastdl4j.vision.model;

import io.github.fastdl4j.common.dl4j.Dropouts;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the architectures as DL4J computation graphs with one input "image"
 * [batch, channels, size, size] (MNIST: [batch, 1, 28, 28]) and a softmax output over the
 * classes (MNIST: the 10 digits). Adam (beta2 0.99, eps 1e-5, as fastai) is configured; the
 * {@code Learner} sets its rate at every step.
 */
public final class Architectures {

    private Architectures() {
    }

    /** The MNIST network: 1 x 28 x 28 images, 10 digits. */
    public static ComputationGraph build(Arch arch, ArchOptions o) {
        return build(arch, o, 1, 28, 10);
    }

    /** The network for {@code channels} x {@code size} x {@code size} images and {@code classes} classes. */
    public static ComputationGraph build(Arch arch, ArchOptions o, int channels, int size, int classes) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(o.seed()).updater(new Adam(1e-3, 0.9, 0.99, 1e-5)).weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("image").setInputTypes(InputType.convolutional(size, size, channels));
        String last = switch (arch) {
            case CLASSIC -> classic(g, o, classes);
            case STRIDE2 -> stride2(g, o, false, classes);
            case CONCAT -> stride2(g, o, true, classes);
            case SIMPLE_CNN, WIDE_CNN -> simpleCnn(g, o, arch.convLayerChannels(channels, classes));
        };
        ComputationGraph net = new ComputationGraph(g.setOutputs(last).build());
        net.init();
        return net;
    }

    private static Activation act(ArchOptions o) {
        return o.activation().equals("mish") ? Activation.MISH : Activation.RELU;
    }

    /** conv (no bias when batchnorm follows) [+ batchnorm] [+ activation]; returns the last vertex name. */
    private static String conv(ComputationGraphConfiguration.GraphBuilder g, String name, String in, int nOut, int k,
                               int stride, ArchOptions o, boolean activation) {
        g.addLayer(name, new ConvolutionLayer.Builder(k, k).stride(stride, stride).nOut(nOut)
                .hasBias(!o.batchnorm()).activation(Activation.IDENTITY).build(), in);
        String last = name;
        if (o.batchnorm()) {
            g.addLayer(name + "_bn", new BatchNormalization.Builder().build(), last);
            last = name + "_bn";
        }
        if (activation) {
            g.addLayer(name + "_act", new ActivationLayer(act(o)), last);
            last = name + "_act";
        }
        return last;
    }

    private static String dropout(ComputationGraphConfiguration.GraphBuilder g, String in, ArchOptions o) {
        if (o.dropout() == 0) {
            return in;
        }
        g.addLayer("dropout", new DropoutLayer.Builder().dropOut(Dropouts.drop(o.dropout())).build(), in);
        return "dropout";
    }

    private static String classic(ComputationGraphConfiguration.GraphBuilder g, ArchOptions o, int classes) {
        String x = conv(g, "conv1", "image", 32, 5, 1, o, true);
        g.addLayer("pool1", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), x);
        x = conv(g, "conv2", "pool1", 64, 5, 1, o, true);
        g.addLayer("pool2", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), x);
        g.addLayer("dense", new DenseLayer.Builder().nOut(128).activation(act(o)).build(), "pool2");
        x = dropout(g, "dense", o);
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), x);
        return "out";
    }

    private static String stride2(ComputationGraphConfiguration.GraphBuilder g, ArchOptions o, boolean concat, int classes) {
        String x = conv(g, "conv1", "image", 32, 3, 2, o, true);   // 28 -> 14
        x = conv(g, "conv2", x, 64, 3, 2, o, true);               // 14 -> 7
        x = conv(g, "conv3", x, 128, 3, 1, o, true);              // 7 -> 7, more channels
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        String features = "avgpool";
        int width = 128;
        if (concat) {
            g.addLayer("maxpool", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), x);
            g.addVertex("concatpool", new MergeVertex(), "maxpool", "avgpool");
            features = "concatpool";
            width = 256;
        }
        features = dropout(g, features, o);
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), features);
        return "out";
    }

    private static String simpleCnn(ComputationGraphConfiguration.GraphBuilder g, ArchOptions o, int[] channels) {
        String x = "image";
        for (int l = 1; l <= 5; l++) {                          // MNIST: 28 -> 14 -> 7 -> 4 -> 2 -> 1
            x = conv(g, "conv" + l, x, channels[l], l == 1 ? 5 : 3, 2, o, l < 5);   // the last without activation
        }
        // MNIST's 28x28 ends at 1x1, where this is a flatten; other sizes can end larger (e.g.
        // 64 -> 2x2), where it is the global average pooling of the class scores before the softmax
        g.addLayer("flatten", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        x = dropout(g, "flatten", o);
        g.addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build(), x);
        return "out";
    }
}

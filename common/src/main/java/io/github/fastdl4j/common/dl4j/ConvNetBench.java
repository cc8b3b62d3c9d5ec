package io.github.fastdl4j.common.dl4j;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.stream.IntStream;

/** The {@code bench} command's DL4J training measurement, kept here so the CLI needs no DL4J class. */
public final class ConvNetBench {

    private ConvNetBench() {
    }

    /**
     * Seconds that {@code steps} training steps of {@link #smallConvNet} take on one random
     * MNIST-shaped batch of {@code batchSize} (after 3 warm-up steps).
     */
    public static double trainSeconds(int batchSize, int steps) {
        MultiLayerNetwork net = smallConvNet();
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, batchSize, 1, 28, 28),
                Nd4j.eye(10).getRows(IntStream.range(0, batchSize).map(i -> i % 10).toArray()));
        for (int i = 0; i < 3; i++) {
            net.fit(batch);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.fit(batch);
        }
        return (System.nanoTime() - t1) / 1e9;
    }

    /** fastbook's simple CNN shape: stride-2 3x3 convs 8-16-32-64 with batchnorm and ReLU, softmax over 10. */
    static MultiLayerNetwork smallConvNet() {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).convolutionMode(ConvolutionMode.Same).list();
        int in = 1;
        for (int ch : new int[]{8, 16, 32, 64}) {
            lb.layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nIn(in).nOut(ch).activation(Activation.IDENTITY).build());
            lb.layer(new BatchNormalization.Builder().build());
            lb.layer(new ActivationLayer(Activation.RELU));
            in = ch;
        }
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = lb.setInputType(InputType.convolutional(28, 28, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}

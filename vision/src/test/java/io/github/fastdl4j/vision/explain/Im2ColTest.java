package io.github.fastdl4j.vision.explain;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** im2col convolution equals DL4J's ConvolutionLayer on random inputs and kernels. */
class Im2ColTest {

    @ParameterizedTest
    @CsvSource({
            // n, c, h, w, out channels, kh, kw, stride, pad
            "2, 1, 28, 28, 4, 3, 3, 1, 1",
            "3, 3, 13, 11, 5, 5, 5, 2, 2",
            "1, 2, 9, 9, 3, 2, 4, 1, 0",
            "2, 4, 8, 10, 6, 3, 3, 3, 1",
            "1, 1, 7, 7, 1, 7, 7, 1, 0"})
    void equalsDl4jsConvolutionLayer(int n, int c, int h, int w, int o, int kh, int kw, int stride, int pad) {
        Nd4j.getRandom().setSeed(n * 1000L + c * 100 + kh);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(kh, kw).stride(stride, stride).padding(pad, pad).nOut(o)
                        .activation(Activation.IDENTITY).convolutionMode(ConvolutionMode.Truncate).build())
                .setInputType(InputType.convolutional(h, w, c)).build());
        net.init();
        INDArray weights = net.getLayer(0).getParam("W");
        INDArray bias = net.getLayer(0).getParam("b");
        bias.assign(Nd4j.randn(DataType.FLOAT, bias.shape()));
        INDArray expected = net.output(x);
        INDArray actual = Im2Col.conv2d(x, weights, bias.reshape(o), stride, pad);
        assertArrayEquals(expected.shape(), actual.shape());
        double maxDiff = actual.sub(expected.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-4, "max abs difference " + maxDiff);
    }

    @Test
    void unfoldPutsEachReceptiveFieldInARow() {
        INDArray x = Nd4j.arange(16).castTo(DataType.DOUBLE).reshape(1, 1, 4, 4);
        INDArray cols = Im2Col.unfold(x, 2, 2, 2, 0);
        assertArrayEquals(new long[]{4, 4}, cols.shape());
        assertArrayEquals(new double[]{0, 1, 4, 5}, cols.getRow(0).toDoubleVector(), 0);
        assertArrayEquals(new double[]{10, 11, 14, 15}, cols.getRow(3).toDoubleVector(), 0);
        assertEquals(14, Im2Col.outSize(28, 3, 2, 1));
    }
}

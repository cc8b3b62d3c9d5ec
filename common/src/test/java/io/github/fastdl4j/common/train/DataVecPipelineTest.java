package io.github.fastdl4j.common.train;

import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.dl4j.NetworkModel;
import org.datavec.api.records.reader.RecordReader;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's "Your DataVec pipeline, fastdl4j's loop" example, compiled and run: a DL4J user's
 * CSVRecordReader + RecordReaderDataSetIterator pipeline trained by the Learner.
 */
class DataVecPipelineTest {

    /** Three classes of points around three centres in 4 dimensions (an iris-like table), label last. */
    static void write(Path file, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("f1,f2,f3,f4,label\n");
        double[][] centres = {{5, 3.4, 1.5, 0.2}, {5.9, 2.8, 4.3, 1.3}, {6.6, 3, 5.6, 2}};
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(3);
            for (int j = 0; j < 4; j++) {
                b.append(String.format(Locale.ROOT, "%.2f,", centres[c][j] + r.nextGaussian() * 0.3));
            }
            b.append(c).append('\n');
        }
        Files.writeString(file, b.toString());
    }

    @Test
    void aRecordReaderPipelineTrainsWithTheLearnersLoop(@TempDir Path dir) throws Exception {
        Path trainCsv = dir.resolve("train.csv"), validCsv = dir.resolve("valid.csv");
        write(trainCsv, 600, 1);
        write(validCsv, 200, 2);

        // --- README example starts
        RecordReader trainReader = new CSVRecordReader(1, ','); // skip the header line
        trainReader.initialize(new FileSplit(trainCsv.toFile()));
        RecordReader validReader = new CSVRecordReader(1, ',');
        validReader.initialize(new FileSplit(validCsv.toFile()));
        DataSetIterator train = new RecordReaderDataSetIterator(trainReader, 32, 4, 3); // label column 4, 3 classes
        DataSetIterator valid = new RecordReaderDataSetIterator(validReader, 200, 4, 3);
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(train);
        train.setPreProcessor(norm);
        valid.setPreProcessor(norm);

        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam()).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        Learner learn = new Learner(new NetworkModel(net), DataLoaders.of(train, valid),
                Losses.crossEntropyOnProbabilities(), List.of(Metrics.accuracy()));
        FitResult fit = learn.fitOneCycle(5, 1e-2, 0.01); // the metrics table, one-cycle, charts via fit.plot(...)
        // --- README example ends

        double accuracy = fit.last().metrics().get("accuracy");
        assertTrue(accuracy > 0.9, "three well separated classes: accuracy " + accuracy);
        assertTrue(fit.last().trainLoss() < fit.epochs().get(0).trainLoss(), "the loss falls");
    }
}

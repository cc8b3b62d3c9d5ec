package io.github.fastdl4j.vision.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomShiftTest {

    @Test
    void movesEachImageByAtMostMaxShiftAndFillsTheBorder() {
        int n = 400;
        INDArray images = Nd4j.zeros(DataType.FLOAT, n, 1, 28, 28).subi(0.5);   // background -0.5
        for (int i = 0; i < n; i++) {
            images.putScalar(new long[]{i, 0, 10, 12}, 3f);                      // one bright pixel
        }
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 10);
        labels.getColumn(1).assign(1);
        MultiDataSet batch = new MultiDataSet(images, labels.dup());
        new RandomShift(2, -0.5f, 7).preProcess(batch);
        INDArray out = batch.getFeatures(0);
        Set<String> shifts = new HashSet<>();
        for (int i = 0; i < n; i++) {
            INDArray img = out.get(NDArrayIndex.point(i)).reshape(28, 28);
            int where = img.reshape(784).argMax(0).getInt(0);
            int dy = where / 28 - 10, dx = where % 28 - 12;
            assertTrue(Math.abs(dy) <= 2 && Math.abs(dx) <= 2, "shift " + dy + "," + dx);
            shifts.add(dy + "," + dx);
            // everything else is background: nothing lost, nothing invented
            assertEquals(3f - 0.5f * 783, img.sumNumber().floatValue(), 1e-3);
        }
        assertEquals(25, shifts.size(), "all 5 x 5 shifts occur in 400 images");
        // labels untouched, and the same seed gives the same shifts
        assertEquals(n, batch.getLabels(0).getColumn(1).sumNumber().intValue());
        MultiDataSet again = new MultiDataSet(images, labels.dup());
        new RandomShift(2, -0.5f, 7).preProcess(again);
        assertEquals(out, again.getFeatures(0));
    }

    @Test
    void sampleLoadersShiftTrainingBatchesOnly() {
        Mnist m = Mnist.sample();
        INDArray plain = m.loaders(50, 1, 0).train().next().getFeatures(0);
        INDArray shifted = m.loaders(50, 1, 0, 2).train().next().getFeatures(0);
        INDArray test = m.loaders(50, 1, 0, 2).valid().next().getFeatures(0);
        assertTrue(!plain.equals(shifted), "training batches move");
        assertEquals(m.loaders(50, 1, 0).valid().next().getFeatures(0), test, "test batches do not");
    }
}

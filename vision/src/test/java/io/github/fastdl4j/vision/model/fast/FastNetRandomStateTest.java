package io.github.fastdl4j.vision.model.fast;

import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The dropout generator's state, which a checkpoint saves, makes another net draw the same masks. */
class FastNetRandomStateTest {

    @Test
    void aRestoredDropoutStateDrawsTheSameMasks() {
        ArchOptions o = new ArchOptions("relu", 0.5, true, 1);
        FastNet a = FastNet.of(Arch.SIMPLE_CNN, o, 1, 28, 10);
        FastNet b = FastNet.of(Arch.SIMPLE_CNN, o, 1, 28, 10);
        INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), 8, 1, 28, 28).castTo(DataType.FLOAT);
        a.forward(new INDArray[]{x}, true); // a's masks move on: b's fresh generator would now draw others
        assertEquals(1, a.randomState().length);
        long[] state = a.randomState();
        INDArray fromA = a.forward(new INDArray[]{x}, true).dup();
        assertNotEquals(fromA, b.forward(new INDArray[]{x}, true).dup(), "other masks without the state");
        b.randomState(state);
        assertEquals(fromA, b.forward(new INDArray[]{x}, true));
        assertEquals(0, FastNet.of(Arch.SIMPLE_CNN, new ArchOptions("relu", 0, true, 1), 1, 28, 10).randomState().length);
    }
}

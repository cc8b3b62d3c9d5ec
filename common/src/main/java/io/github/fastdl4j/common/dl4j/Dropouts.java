package io.github.fastdl4j.common.dl4j;

import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dropout the PyTorch way. DL4J's {@code Dropout(p)} and {@code dropOut(p)} take the probability
 * to <em>keep</em> an activation; fastai and PyTorch give the probability to <em>drop</em> it.
 */
public final class Dropouts {

    private Dropouts() {
    }

    /** DL4J dropout that drops each activation with probability {@code dropProbability} (0 &lt;= p &lt; 1). */
    public static Dropout drop(double dropProbability) {
        if (!(dropProbability >= 0 && dropProbability < 1)) {
            throw new IllegalArgumentException("a drop probability must be in [0, 1), got " + dropProbability);
        }
        return new Dropout(1 - dropProbability);
    }

    /**
     * DL4J's training-time dropout of {@link #drop drop(p)} applied to {@code input} (a new array):
     * 0 where dropped, the value times 1/(1-p) where kept, drawn from ND4J's generator.
     */
    public static INDArray applyTraining(double dropProbability, INDArray input) {
        return drop(dropProbability).applyDropout(input, Nd4j.createUninitialized(input.dataType(), input.shape()), 0, 0,
                LayerWorkspaceMgr.noWorkspaces());
    }
}

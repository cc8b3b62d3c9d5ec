package io.github.fastdl4j.common.dl4j;

import org.deeplearning4j.nn.conf.dropout.Dropout;

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
}

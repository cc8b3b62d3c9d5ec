package io.github.fastdl4j.tabular;

import io.github.fastdl4j.common.train.Checkpoint;
import io.github.fastdl4j.common.train.EpochResult;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.FitState;
import io.github.fastdl4j.common.train.Listener;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.TrainingState;
import io.github.fastdl4j.tabular.data.TabularFrame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A run killed after epoch 1 and resumed from its checkpoint ends exactly where the uninterrupted
 * run does, with dropout on (as the Rossmann preset has it): the dropout generator's state is in
 * the checkpoint, for the from-scratch TabularNet and for DL4J's layers (ND4J's generator).
 */
class TabularResumeTest {

    @TempDir
    Path tmp;

    static TabularFrame frame() {
        Random r = new Random(7);
        int n = 400;
        String[] shop = new String[n];
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            shop[i] = "s" + r.nextInt(12);
            x[i] = r.nextGaussian();
            y[i] = 2 * x[i] + shop[i].length() + 0.3 * r.nextGaussian();
        }
        TabularFrame f = new TabularFrame(n);
        f.put("shop", shop);
        f.put("x", x);
        f.put("y", y);
        return f;
    }

    static TabularLearner learner(boolean dl4j) {
        return TabularLearner.of(frame()).cat("shop").cont("x").y("y").layers(16, 8).ps(0.3, 0.2).embDrop(0.1)
                .batchSize(32).seed(3).dl4jLayers(dl4j).build();
    }

    /** The quick loop resumes the from-scratch model; {@link #aResumedDl4jRunWithDropoutIsExact} the DL4J one. */
    @Test
    void aResumedRunWithDropoutIsExact() throws Exception {
        resumesExactly(false);
    }

    @Tag("slow")
    @Test
    void aResumedDl4jRunWithDropoutIsExact() throws Exception {
        resumesExactly(true);
    }

    private void resumesExactly(boolean dl4j) throws Exception {
        TabularLearner whole = learner(dl4j);
        whole.learner().quiet(true);
        FitResult uninterrupted = whole.fitOneCycle(3, 1e-2, 0.01);

        Path ckpt = tmp.resolve("checkpoint.zip");
        TabularLearner killed = learner(dl4j);
        killed.learner().quiet(true);
        killed.learner().addListener(new Checkpoint(killed.learner().model(), ckpt, Map.of("config", Map.of())))
                .addListener(new Listener() {
                    @Override
                    public void onEpochEnd(TrainingState s, EpochResult r) {
                        if (r.epoch() == 0) {
                            throw new IllegalStateException("killed");
                        }
                    }
                });
        assertThrows(IllegalStateException.class, () -> killed.fitOneCycle(3, 1e-2, 0.01));
        // another "process": whatever ND4J's generator did meanwhile, the checkpoint decides
        Nd4j.getRandom().setSeed(12345);
        TabularLearner resumed = learner(dl4j);
        resumed.learner().quiet(true);
        FitState state = ModelArchive.open(ckpt).resumeInto(resumed.learner().model(), Set.of("config"));
        FitResult rest = resumed.learner().resumeFrom(state).fitOneCycle(3, 1e-2, 0.01);
        for (int e = 0; e < 3; e++) {
            assertEquals(uninterrupted.epochs().get(e).validLoss(), rest.epochs().get(e).validLoss(), 0, "epoch " + e);
        }
        assertArrayEquals(whole.predictor().predictModelScale(whole.validData()),
                resumed.predictor().predictModelScale(resumed.validData()), "identical weights after the last epoch");
    }
}

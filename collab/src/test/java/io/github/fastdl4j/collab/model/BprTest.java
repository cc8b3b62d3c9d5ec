package io.github.fastdl4j.collab.model;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.common.module.GradientCheck;
import io.github.fastdl4j.common.train.Checkpoint;
import io.github.fastdl4j.common.train.EpochResult;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.FitState;
import io.github.fastdl4j.common.train.Listener;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.TrainingState;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BprTest {

    private static INDArray col(double... v) {
        return Nd4j.createFromArray(v).reshape(v.length, 1);
    }

    @Test
    void scoresAndTheirDifferences() {
        Bpr m = new Bpr(3, 4, 2, null, 1, DataType.DOUBLE);
        m.parameter("user_factors").value().assign(Nd4j.createFromArray(new double[][]{{0, 0}, {1, 2}, {0.5, -1}}));
        m.parameter("movie_factors").value().assign(Nd4j.createFromArray(new double[][]{{0, 0}, {3, 1}, {-1, 0}, {0, 2}}));
        m.parameter("movie_bias").value().assign(col(0, 0.3, 0, -0.5));
        INDArray s = m.forward(new INDArray[]{col(1, 2), col(1, 3)}, false);
        assertEquals(3 + 2 + 0.3, s.getDouble(0), 1e-12);
        assertEquals(-2 - 0.5, s.getDouble(1), 1e-12);
        INDArray x = m.forward(new INDArray[]{col(1), col(1), col(2)}, false);
        assertEquals((3 + 2 + 0.3) - (-1), x.getDouble(0), 1e-12, "s(u, i) - s(u, j)");
        assertEquals(Math.log1p(Math.exp(-6.3)), Bpr.loss().value(x, x), 1e-12);
    }

    @Test
    void handWrittenGradientsMatchFiniteDifferences() {
        Bpr m = new Bpr(6, 7, 4, null, 3, DataType.DOUBLE);
        for (var p : m.parameters()) {
            p.value().addi(Nd4j.randn(DataType.DOUBLE, p.shape()).muli(0.5));
        }
        // repeated users, a movie both positive and negative in one batch: gradients must add up
        INDArray users = col(1, 2, 2, 5, 3);
        INDArray pos = col(4, 1, 4, 2, 6);
        INDArray neg = col(2, 4, 3, 6, 1);
        double err = GradientCheck.maxRelativeError(m, new INDArray[]{users, pos, neg}, col(0, 0, 0, 0, 0), Bpr.loss(),
                1e-6, 60, 7);
        assertTrue(err < 1e-6, "max relative error " + err);
    }

    @Test
    void negativesAreNeverTheUsersTrainingInteractions() {
        int[][] positives = {{}, {1, 2, 3, 5, 8}, {2}};
        Bpr m = new Bpr(3, 10, 2, positives, 1, DataType.FLOAT);
        int[] seen = new int[10];
        for (int i = 0; i < 5000; i++) {
            int j = m.sampleNegative(1);
            assertTrue(Arrays.binarySearch(positives[1], j) < 0 && j >= 1 && j < 10, "negative " + j);
            seen[j]++;
        }
        for (int j : new int[]{4, 6, 7, 9}) {
            assertTrue(seen[j] > 5000 / 4 * 0.8, "uniform over the 4 other movies: " + Arrays.toString(seen));
        }
    }

    /**
     * Interactions that follow tastes: 300 users and 100 movies with 3 latent tastes each; a user
     * picks 20 movies with probability growing with exp(2 u.m), so which movies a user has seen
     * says something about the others they would pick.
     */
    static Path tastes(Path dir) throws Exception {
        Random rnd = new Random(4);
        int users = 300;
        int movies = 100;
        double[][] uf = new double[users + 1][3];
        double[][] mf = new double[movies + 1][3];
        for (double[] v : uf) {
            for (int j = 0; j < 3; j++) {
                v[j] = rnd.nextGaussian();
            }
        }
        for (double[] v : mf) {
            for (int j = 0; j < 3; j++) {
                v[j] = rnd.nextGaussian();
            }
        }
        StringBuilder data = new StringBuilder();
        for (int u = 1; u <= users; u++) {
            double[] w = new double[movies + 1];
            for (int m = 1; m <= movies; m++) {
                double d = 0;
                for (int j = 0; j < 3; j++) {
                    d += uf[u][j] * mf[m][j];
                }
                w[m] = Math.exp(2 * d);
            }
            Set<Integer> picked = new HashSet<>();
            while (picked.size() < 20) {
                double t = rnd.nextDouble() * Arrays.stream(w).sum();
                int m = 1;
                while (m < movies && (t -= w[m]) > 0) {
                    m++;
                }
                if (picked.add(m)) {
                    data.append(u).append('\t').append(m).append("\t5\t").append(picked.size()).append('\n');
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("u.data"), data.toString());
        return dir;
    }

    @Test
    void learnsToRankHeldOutInteractionsAboveOthers(@TempDir Path tmp) throws Exception {
        Ratings r = Ratings.load(tastes(tmp.resolve("tastes")));
        CollabLearner learn = CollabLearner.of(r).model(CollabKind.BPR).nFactors(16).seed(2).batchSize(64).build();
        learn.learner().quiet(true);
        double before = learn.learner().validate().metrics().get("auc");
        FitResult fit = learn.fitOneCycle(8, 1e-2, 0.01);
        double auc = fit.last().metrics().get("auc");
        assertTrue(auc > 0.75 && auc > before + 0.2, "sampled AUC " + before + " -> " + auc);
    }

    /**
     * A BPR run killed after epoch 1 and resumed from its checkpoint samples the negatives the
     * uninterrupted run samples (the sampler's state is in the checkpoint), so it ends exactly there.
     */
    @Test
    void aResumedRunSamplesTheSameNegativesAndIsExact(@TempDir Path tmp) throws Exception {
        Ratings r = Ratings.load(tastes(tmp.resolve("tastes")));
        Supplier<CollabLearner> make = () -> {
            CollabLearner l = CollabLearner.of(r).model(CollabKind.BPR).nFactors(8).seed(2).batchSize(64).build();
            l.learner().quiet(true);
            return l;
        };
        FitResult whole = make.get().fitOneCycle(3, 1e-2, 0.01);

        Path ckpt = tmp.resolve("checkpoint.zip");
        CollabLearner killed = make.get();
        killed.learner().addListener(new Checkpoint(killed.learner().model(), ckpt,
                Map.of("config", Map.of()))).addListener(new Listener() {
                    @Override
                    public void onEpochEnd(TrainingState s,
                                           EpochResult e) {
                        if (e.epoch() == 0) {
                            throw new IllegalStateException("killed");
                        }
                    }
                });
        Assertions.assertThrows(IllegalStateException.class, () -> killed.fitOneCycle(3, 1e-2, 0.01));
        CollabLearner resumed = make.get();
        FitState state = ModelArchive.open(ckpt)
                .resumeInto(resumed.learner().model(), Set.of("config"));
        FitResult rest = resumed.learner().resumeFrom(state).fitOneCycle(3, 1e-2, 0.01);
        for (int e = 0; e < 3; e++) {
            Assertions.assertEquals(whole.epochs().get(e).validLoss(), rest.epochs().get(e).validLoss(), 0,
                    "epoch " + e);
        }
    }
}

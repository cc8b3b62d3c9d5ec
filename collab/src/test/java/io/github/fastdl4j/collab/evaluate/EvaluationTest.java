package io.github.fastdl4j.collab.evaluate;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.module.AdamW;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluation protocol end to end on planted structure: a model beats its baselines, folds cover every rating once. */
class EvaluationTest {

    @TempDir
    static Path tmp;
    static Ratings ratings;

    @BeforeAll
    static void data() throws Exception {
        ratings = Ratings.load(SyntheticRatings.write(tmp.resolve("synthetic"), 150, 60, 40, 1));
    }

    private static Evaluation.Config dot(int ensemble, boolean onValid) {
        return new Evaluation.Config(CollabKind.DOT, 10, null, 8, 5e-3, 0.05, 64, AdamW.Mode.DENSE, 7, 10, 4, onValid,
                ensemble);
    }

    @Test
    void kFoldTestsEveryRatingOnceAndTheModelBeatsTheBiasOnlyBaseline() {
        List<Evaluation.FoldResult> folds = Evaluation.run(ratings, Protocol.KFOLD, 3, dot(1, false));
        assertEquals(3, folds.size());
        assertEquals(ratings.size(), folds.stream().mapToInt(Evaluation.FoldResult::testRatings).sum());
        for (Evaluation.FoldResult f : folds) {
            assertEquals(ratings.size(), f.trainRatings() + f.testRatings());
            assertTrue(f.rmse() < f.biasRmse() - 0.05, f.fold() + ": model " + f.rmse() + " vs bias-only " + f.biasRmse());
            assertTrue(f.model().ndcg() > 0 && f.model().ndcg() <= 1, "NDCG " + f.model().ndcg());
        }
    }

    @Test
    void onValidNeverTestsOnTheHeldOutRatings() {
        Evaluation.FoldResult f = Evaluation.run(ratings, Protocol.RANDOM, 1, dot(1, true)).get(0);
        Evaluation.FoldResult t = Evaluation.run(ratings, Protocol.RANDOM, 1, dot(1, false)).get(0);
        // valid: 10% of the training rows of the same split, so fewer ratings than the test part
        assertEquals(t.trainRatings(), f.trainRatings() + f.testRatings());
    }

    @Test
    void anEnsembleOfSeedsIsAtLeastAsGoodAsItsAverageMember() {
        Protocol.Fold fold = Protocol.RANDOM.folds(ratings, 1, 7).get(0);
        Evaluation.FoldResult one = Evaluation.fold(ratings, fold, dot(1, false));
        Evaluation.Config second = new Evaluation.Config(CollabKind.DOT, 10, null, 8, 5e-3, 0.05, 64, AdamW.Mode.DENSE, 8,
                10, 4, false, 1);
        Evaluation.FoldResult two = Evaluation.fold(ratings, fold, second);
        Evaluation.FoldResult both = Evaluation.fold(ratings, fold, dot(2, false));
        // squared error is convex: the averaged prediction's MSE is at most the members' mean MSE
        double meanMse = (one.rmse() * one.rmse() + two.rmse() * two.rmse()) / 2;
        assertTrue(both.rmse() * both.rmse() <= meanMse + 1e-9, both.rmse() + " vs " + one.rmse() + ", " + two.rmse());
    }

    @Test
    void theValidationPartIsASeededTenthOfTheTrainingRowsAndNeverATestRow() {
        Split fold = Protocol.RANDOM.folds(ratings, 1, 7).get(0).split();
        Split part = Evaluation.validationPart(fold, 7);
        Set<Integer> train = Arrays.stream(fold.train()).boxed().collect(Collectors.toSet());
        Set<Integer> seen = new HashSet<>();
        for (int row : part.train()) {
            assertTrue(train.contains(row) && seen.add(row), "row " + row);
        }
        for (int row : part.valid()) {
            assertTrue(train.contains(row) && seen.add(row), "row " + row);
        }
        assertEquals(fold.train().length, seen.size(), "the fold's training rows, split in two, no test row");
        assertEquals(0.1 * fold.train().length, part.valid().length, 1);
        Assertions.assertArrayEquals(part.valid(), Evaluation.validationPart(fold, 7).valid(), "seeded");
    }
}

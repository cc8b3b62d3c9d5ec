package io.github.fastdl4j.collab.spark;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.data.RatingsGenerator;
import io.github.fastdl4j.collab.evaluate.Evaluation;
import io.github.fastdl4j.collab.evaluate.Scorers;
import io.github.fastdl4j.collab.evaluate.Protocol;
import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.interpret.Ranked;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.common.train.Provenance;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ALS with biases, and on implicit feedback, on a local[2] Spark session, on generated ratings with known structure. */
class SparkAlsTest {

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Ratings ratings;
    static double bestMse;
    static Ratings tastes;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSessions.local("local[2]");
        bestMse = RatingsGenerator.write(RatingsGenerator.Config.of(400, 300, 30_000, 3), dir.resolve("gen")).bestMse();
        ratings = Ratings.load(dir.resolve("gen"));
        tastes = Ratings.load(TasteChoices.write(dir.resolve("tastes"), 300, 200, 30, 5));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void learnsThePlantedStructureAndExportsAModelCollabUsesUnchanged() throws IOException {
        Split split = Splits.random(ratings.size(), 0.2, 42);
        SparkAls.Result res = SparkAls.fit(spark, ratings, split, new SparkAls.Config(8, 0.1, 10, 5, 3, 42));
        double mean = 0;
        for (int i : split.train()) {
            mean += ratings.rating()[i];
        }
        mean /= split.train().length;
        double baseline = 0;
        for (int i : split.valid()) {
            baseline += (ratings.rating()[i] - mean) * (ratings.rating()[i] - mean);
        }
        baseline /= split.valid().length;
        // generated: rating variance ~1.0, best possible ~0.23; 24k ratings for 400 x 300 parameters x 8
        assertTrue(res.validMse() < 0.7 * baseline, "ALS " + res.validMse() + " vs mean-rating baseline " + baseline);
        assertTrue(res.validMse() > bestMse * 0.95, "nothing beats the noise: " + res.validMse() + " vs " + bestMse);

        Path file = dir.resolve("als.zip");
        res.model().save(file, Provenance.of("collab-spark", "als", Map.of(), 42, ratings.checksum(), "test"));
        CollabModel back = CollabModel.load(file);
        assertEquals(CollabKind.DOT_LINEAR, back.kind());
        assertEquals(res.validMse(), SparkAls.validMse(back, ratings, split.valid()), 1e-9, "the reloaded model scores the same");

        // recommend (collab, from the zip) == the top of Spark's own predictions for that user
        int u = ratings.userVocab().index("7");
        List<Ranked> top = new CollabInterpretation(back).recommend("7", 5);
        Set<Integer> seen = Arrays.stream(back.seen(u)).boxed().collect(Collectors.toSet());
        int[] unseen = IntStream.range(1, back.movies().size()).filter(m -> !seen.contains(m)).toArray();
        float[] sparkPred = res.predictWithSpark(spark, u, unseen);
        // the exported model clips to the ratings' scale (0.5..5 here); Spark's own prediction does not
        double[] sortedSpark = IntStream.range(0, unseen.length).mapToDouble(i -> sparkPred[i])
                .filter(v -> !Double.isNaN(v)).map(v -> Math.max(back.spec().low(), Math.min(back.spec().high(), v))).boxed().sorted(Comparator.reverseOrder()).mapToDouble(Double::doubleValue)
                .limit(5).toArray();
        for (int i = 0; i < 5; i++) {
            // float factors through two code paths: equal to ~1e-5
            assertEquals(sortedSpark[i], top.get(i).value(), 1e-4, "rank " + i);
        }
    }

    @Test
    void implicitAlsLearnsWhatUsersPickAndBeatsPopularity() {
        Split split = Protocol.RANDOM.folds(tastes, 1, 7).get(0).split();
        SparkAls.Config config = new SparkAls.Config(8, 0.05, 10, 0, 0, 42, SparkAls.Implicit.of(1));
        SparkAls.Result res = SparkAls.fit(spark, tastes, split, config);
        assertEquals(CollabKind.BPR, res.model().kind(), "saved as collab's implicit scorer kind");
        assertTrue(Double.isNaN(res.validMse()), "an implicit model has no rating error");
        assertThrows(IllegalArgumentException.class, () -> SparkAls.errors(res.model(), tastes, split.valid()));
        assertEquals(split.train().length, res.trainRatings(), "every training rating is an interaction");

        Evaluation.RankingResult model = Evaluation.rank(tastes, split, 10, 4, Scorers.scorer(res.model()));
        Evaluation.RankingResult pop = Evaluation.popularity(tastes, split, 10, 4);
        // the choices follow tastes: knowing what a user picked says what else they pick and like
        assertTrue(model.ndcg() > pop.ndcg() + 0.05 && model.ndcg() > 1.3 * pop.ndcg(),
                "implicit ALS ndcg@10 " + model.ndcg() + " vs popularity " + pop.ndcg());

        // the exported scorer ranks as Spark's own predictions do
        int u = 3;
        int[] all = IntStream.range(1, tastes.movieVocab().size()).toArray();
        float[] sparkScores = res.predictWithSpark(spark, u, all);
        double[] exported = Scorers.scorer(res.model()).apply(u);
        for (int i = 0; i < all.length; i++) {
            if (!Float.isNaN(sparkScores[i])) {
                assertEquals(sparkScores[i], exported[all[i]], 1e-4, "movie " + all[i]);
            }
        }
    }

    @Test
    void implicitInteractionsCanBeTheLikedRatingsOnly() {
        Split split = Protocol.RANDOM.folds(tastes, 1, 7).get(0).split();
        long liked = Arrays.stream(split.train()).filter(i -> tastes.rating()[i] >= 4).count();
        SparkAls.Result res = SparkAls.fit(spark, tastes, split,
                new SparkAls.Config(8, 0.05, 5, 0, 0, 42, new SparkAls.Implicit(1, 4, false)));
        assertEquals(liked, res.trainRatings(), "ratings below 4 are not interactions");
        assertTrue(liked < split.train().length / 1.2, "the threshold drops a good share: " + liked);
        assertThrows(BadInputException.class, () -> SparkAls.fit(spark, tastes, split,
                new SparkAls.Config(8, 0.05, 5, 0, 0, 42, new SparkAls.Implicit(1, 6, false))), "no rating reaches 6");
    }
}

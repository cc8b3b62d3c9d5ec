package io.github.fastdl4j.serve.collab;

import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.serve.testing.TrainedRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served dot model's own arithmetic (no native call, no lock) rates every movie as the model does. */
class CollabServedTest {

    @Test
    void dotScoresEqualTheModelsPredictions() {
        CollabModel m = CollabModel.load(TrainedRuns.model(TrainedRuns.COLLAB));
        CollabServed s = new CollabServed(m);
        for (String user : new String[]{"1", "17", "60"}) {
            int u = m.users().index(user);
            for (int movie = 1; movie < m.movies().size(); movie++) {
                double expected = m.predict(new int[]{u}, new int[]{movie})[0];
                assertEquals(expected, s.predict(user, movie), 1e-5, "user " + user + ", movie " + movie);
            }
        }
    }

    @TempDir
    Path tmp;

    /**
     * A dot model's recommendations rate k + 1 movies, not all: the same lists, scores and order
     * as rating every movie, for every user and k, and for a user folded in by feedback. The
     * dot-linear model clips to its range, so equal ratings at the edge of a top k (the case where
     * the shortcut computes every rating) occur too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dot", "dot-linear"})
    void recommendationsRatingKPlusOneMoviesEqualRatingEveryMovie(String kind) {
        Path out = tmp.resolve(kind);
        CliRun t = CliRun.run(new CollabMain(), "collab", "train", "--ratings", TrainedRuns.ratings().toString(), "--model", kind,
                "--epochs", "3", "--lr", "5e-2", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        CollabModel m = CollabModel.load(out.resolve("model.zip"));
        CollabServed s = new CollabServed(m);
        int ties = 0;
        for (int u = 1; u < m.users().size(); u++) {
            String user = m.users().id(u);
            for (int k : new int[]{1, 3, 10, m.movies().size()}) {
                List<CollabServed.Item> all = s.recommendComputingEveryRating(user, k);
                assertEquals(all, s.recommend(user, k), kind + ", user " + user + ", k " + k);
                if (all.size() > 1 && all.get(all.size() - 1).score() == all.get(all.size() - 2).score()) {
                    ties++;
                }
            }
        }
        if (kind.equals("dot-linear")) {
            assertTrue(ties > 0, "clipped ratings tie in some top k");
        }
        s.checkFeedback("7");
        assertTrue(s.apply("7", 5, 1.0));
        assertEquals(s.recommendComputingEveryRating("7", 10), s.recommend("7", 10), "a user folded in by feedback");
    }

    /**
     * nn kinds and hybrid: feedback refits the user's rows (the rest frozen), so the user's predicted
     * rating of the movie moves towards the rating given, for a known user and for a new id; the
     * model itself is left as it was (every other user's predictions unchanged).
     */
    @ParameterizedTest
    @ValueSource(strings = {"nn", "nn-layers", "hybrid"})
    void feedbackRefitsTheUserOfModelsWithoutAClosedForm(String kind) {
        Path out = tmp.resolve(kind);
        CliRun t = CliRun.run(new CollabMain(), "collab", "train", "--ratings", TrainedRuns.ratings().toString(), "--model", kind,
                "--epochs", "2", "--factors", "4", "--layers", "8", "--lr", "1e-2", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        CollabModel m = CollabModel.load(out.resolve("model.zip"));
        CollabServed s = new CollabServed(m);
        assertEquals("gradient", s.feedbackRefit());
        int n = m.movies().size();
        int[] users = new int[n - 1];
        int[] movies = new int[n - 1];
        for (int i = 1; i < n; i++) {
            users[i - 1] = m.users().index("2");
            movies[i - 1] = i;
        }
        float[] other = m.predict(users, movies);
        int movie = 3;
        double before = s.predict("1", movie);
        double target = before < 3 ? 5 : 1;
        assertTrue(s.apply("1", movie, target), "refitted");
        double after = s.predict("1", movie);
        assertTrue(Math.abs(after - target) < Math.abs(before - target) - 0.25,
                kind + ": before " + before + ", after " + after + ", rated " + target);
        assertArrayEquals(other, m.predict(users, movies), "the model itself is unchanged");
        // a new user id: folded in from the mean user, towards its ratings
        s.checkFeedback("new-1");
        assertTrue(s.apply("new-1", movie, 5));
        assertTrue(s.apply("new-1", 4, 5));
        assertTrue(s.predict("new-1", movie) > 4, kind + ": " + s.predict("new-1", movie));
        assertEquals(n - 3, s.recommend("new-1", n).size(), "the rated movies left out");
        // a new user from a few ratings (POST recommend): the same refit, from the mean user; rated movies left out
        List<CollabServed.Item> recs = s.recommendNew(Map.of(movie, 5.0, 4, 5.0), n);
        assertEquals(n - 3, recs.size());
        assertTrue(recs.stream().noneMatch(i -> i.id().equals(m.movies().id(movie)) || i.id().equals(m.movies().id(4))));
    }
}

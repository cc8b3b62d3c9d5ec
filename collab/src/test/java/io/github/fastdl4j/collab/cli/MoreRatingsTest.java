package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.data.RatingsLoader;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** collab train --more-ratings: a served model's feedback log (ratings.csv layout) trains with the ratings. */
class MoreRatingsTest {

    @TempDir
    Path tmp;

    @Test
    void feedbackLogsJoinTheRatingsNewUsersAndLaterRatingsIncluded() throws Exception {
        Path data = SyntheticRatings.write(tmp.resolve("data"), 30, 20, 10, 4);
        Ratings base = Ratings.load(data);
        int u1 = base.userVocab().index("1");
        int row = 0;
        while (base.user()[row] != u1) {
            row++;
        }
        String movie = base.movieVocab().id(base.movie()[row]);
        float old = base.rating()[row];
        float again = old == 1 ? 5 : 1;
        Path log = tmp.resolve("feedback.csv");
        Files.writeString(log, "userId,movieId,rating,timestamp\n900,3,5,1700000000\n900,4,2,1700000001\n1," + movie + ","
                + (int) again + ",1700000002\n");
        Ratings more = RatingsLoader.withMore(base, List.of(log));
        assertEquals(base.size() + 2, more.size(), "two new ratings; the third replaces one");
        assertEquals(base.userVocab().size() + 1, more.userVocab().size());
        assertTrue(more.userVocab().contains("900"));
        for (int i = 0; i < more.size(); i++) {
            if (more.userVocab().id(more.user()[i]).equals("1") && more.movieVocab().id(more.movie()[i]).equals(movie)) {
                assertEquals(again, more.rating()[i], "the later rating");
            }
        }
        assertTrue(!more.checksum().equals(base.checksum()), "the provenance checksum covers the log");
        assertEquals(base.minRating(), more.minRating());
        assertEquals(base.maxRating(), more.maxRating());
        // a served model takes feedback in its y range (0..5.5 for 1..5 stars): 5.5 widens the scale
        Path edge = tmp.resolve("edge.csv");
        Files.writeString(edge, "userId,movieId,rating,timestamp\n901,3,5.5,1700000000\n");
        assertEquals(5.5, RatingsLoader.withMore(base, List.of(edge)).maxRating());

        Path out = tmp.resolve("run");
        CliRun t = CliRun.run(new CollabMain(), "collab", "train", "--ratings", data.toString(), "--more-ratings", log.toString(),
                "--epochs", "1", "--factors", "3", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains((base.size() + 2) + " ratings, 31 users"), t.out());
        assertTrue(CollabModel.load(out.resolve("model.zip")).users().contains("900"), "the new user is in the model");
        CliRun rec = CliRun.run(new CollabMain(), "collab", "recommend", "--user", "900", "--model-file", out.resolve("model.zip").toString());
        assertEquals(0, rec.code(), rec.err());

        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "userId,movieId,rating,timestamp\n900,3,7,1\n");
        CliRun b = CliRun.run(new CollabMain(), "collab", "train", "--ratings", data.toString(), "--more-ratings", bad.toString(),
                "--epochs", "1", "--out", tmp.resolve("b").toString());
        assertEquals(1, b.code());
        assertTrue(b.err().startsWith("error: " + bad + ":2: field 'rating': "), b.err());
        CliRun none = CliRun.run(new CollabMain(), "collab", "train", "--more-ratings", tmp.resolve("none.csv").toString(),
                "--out", tmp.resolve("n").toString());
        assertEquals(2, none.code(), none.err());
    }
}

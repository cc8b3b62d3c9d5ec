package io.github.fastdl4j.serve.collab;

import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.serve.testing.TrainedRuns;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

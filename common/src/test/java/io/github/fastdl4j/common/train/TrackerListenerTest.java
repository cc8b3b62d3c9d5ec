package io.github.fastdl4j.common.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The best-so-far bookkeeping the patience listeners share, epoch by epoch. */
class TrackerListenerTest {

    private static final class Tracker extends TrackerListener {
        Tracker(String monitor, double minDelta) {
            super(monitor, minDelta);
        }
    }

    private static EpochResult row(int epoch, double validLoss, double accuracy) {
        return new EpochResult(epoch, 1, validLoss, Map.of("accuracy", accuracy), 0);
    }

    @Test
    void aLossImprovesDownwardsByMoreThanMinDeltaAndNaNNeverImproves() {
        Tracker t = new Tracker("valid_loss", 0.01);
        assertEquals(-1, t.bestEpoch());
        assertEquals(Double.POSITIVE_INFINITY, t.best());
        assertFalse(t.improved(row(0, Double.NaN, 0)));
        assertEquals(1, t.sinceBest());
        assertTrue(t.improved(row(1, 0.5, 0)));
        assertFalse(t.improved(row(2, 0.495, 0))); // within minDelta
        assertFalse(t.improved(row(3, 0.6, 0)));
        assertEquals(2, t.sinceBest());
        assertEquals(1, t.bestEpoch());
        assertEquals(0.5, t.best());
        assertTrue(t.improved(row(4, 0.48, 0)));
        assertEquals(0, t.sinceBest());
        assertEquals(4, t.bestEpoch());
    }

    @Test
    void accuracyImprovesUpwardsAndRestartKeepsTheBest() {
        Tracker t = new Tracker("accuracy", 0);
        assertTrue(t.improved(row(0, 9, 0.7)));
        assertFalse(t.improved(row(1, 0.1, 0.6)));
        t.restartPatience();
        assertEquals(0, t.sinceBest());
        assertEquals(0.7, t.best());
        assertTrue(t.improved(row(2, 9, 0.8)));
        t.reset();
        assertEquals(Double.NEGATIVE_INFINITY, t.best());
        assertEquals(-1, t.bestEpoch());
    }
}

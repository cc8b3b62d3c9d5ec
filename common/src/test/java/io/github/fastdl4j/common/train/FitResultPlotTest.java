package io.github.fastdl4j.common.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss and schedule charts draw at most a few thousand batches: a 100M-rating epoch has 1.4M. */
class FitResultPlotTest {

    @Test
    void aShortFitDrawsEveryBatch() {
        assertArrayEquals(new int[]{0, 1, 2, 3}, FitResult.plotted(4));
        assertEquals(FitResult.MAX_PLOTTED, FitResult.plotted(FitResult.MAX_PLOTTED).length);
    }

    @Test
    void aLongFitDrawsEvenlySpacedBatchesWithTheFirstAndTheLast() {
        int[] shown = FitResult.plotted(1_400_000);
        assertEquals(FitResult.MAX_PLOTTED, shown.length);
        assertEquals(0, shown[0]);
        assertEquals(1_399_999, shown[shown.length - 1]);
        for (int i = 1; i < shown.length; i++) {
            int step = shown[i] - shown[i - 1];
            assertTrue(step == 350 || step == 351, "even spacing: " + step + " at " + i);
        }
    }

    @Test
    void chartsOfAMillionBatchesAreWrittenInSeconds(@TempDir Path dir) throws Exception {
        int n = 1_000_000;
        double[] losses = new double[n];
        double[] lrs = new double[n];
        for (int i = 0; i < n; i++) {
            losses[i] = 1.0 / (1 + i * 1e-5);
            lrs[i] = OneCycle.cos(1e-4, 1e-2, i / (double) n);
        }
        FitResult fit = new FitResult(List.of(new EpochResult(0, 0.5, 0.6, Map.of(), 10)), losses, lrs, n, 10.0);
        // drawing every batch took minutes (XChart's tick placement over a million x values)
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> fit.plot(dir, ""));
        assertTrue(Files.size(dir.resolve("loss.png")) > 1000);
        assertTrue(Files.size(dir.resolve("lr.png")) > 1000);
    }
}

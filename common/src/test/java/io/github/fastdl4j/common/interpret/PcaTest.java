package io.github.fastdl4j.common.interpret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcaTest {

    @TempDir
    Path tmp;

    @Test
    void recoversKnownDirectionsAndVarianceShares() {
        // points = mean + 3a u + 1b v with a, b in {-1, 1} balanced and uncorrelated, u ⟂ v:
        // the variances along u and v are 9 and 1, so the shares are exactly 0.9 and 0.1
        double s = Math.sqrt(0.5);
        double[] u = {s, s, 0};
        double[] v = {0, 0, 1};
        double[] mean = {5, -2, 1};
        int[][] ab = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
        double[][] x = new double[4][3];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = mean[j] + 3 * ab[i][0] * u[j] + ab[i][1] * v[j];
            }
        }
        Pca.Result r = Pca.fit(x, 2);
        assertArrayEquals(new double[]{0.9, 0.1}, r.explainedVarianceRatio(), 1e-12);
        assertArrayEquals(u, r.components()[0], 1e-12);
        assertArrayEquals(v, r.components()[1], 1e-12);
        assertArrayEquals(mean, r.mean(), 1e-12);
        assertEquals(3.0, Math.abs(r.projected()[0][0]), 1e-12);
        assertEquals(1.0, Math.abs(r.projected()[0][1]), 1e-12);
    }

    @Test
    void chartsAreWrittenAsPng() throws Exception {
        Path scatter = tmp.resolve("c/scatter.png");
        Charts.scatter(scatter, "t", "x", "y", new double[]{1, 2, 3}, new double[]{3, 1, 2}, Arrays.asList("a", null, "c"));
        Path bars = tmp.resolve("c/bars.png");
        Charts.hbar(bars, "t", "bias", List.of("low", "high"), new double[]{-0.5, 0.7});
        Path lines = tmp.resolve("c/lines.png");
        Charts.lines(lines, "t", "lr", "loss", Map.of("loss", new double[][]{{1e-5, 1e-3, 1e-1}, {1, 0.5, 2}}), true);
        for (Path p : List.of(scatter, bars, lines)) {
            byte[] b = Files.readAllBytes(p);
            assertTrue(b.length > 1000, p + " " + b.length);
            assertEquals((byte) 0x89, b[0]);
            assertEquals('P', b[1]);
        }
    }
}

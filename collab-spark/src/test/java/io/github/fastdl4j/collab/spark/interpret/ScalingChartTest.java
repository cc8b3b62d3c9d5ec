package io.github.fastdl4j.collab.spark.interpret;

import io.github.fastdl4j.common.data.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingChartTest {

    @TempDir
    Path tmp;

    private static final String ALS_1M = "{\"engine\":\"als\",\"ratings\":1000000,\"master\":\"local[2]\",\"seconds_per_iteration\":8.0,"
            + "\"ratings_per_sec\":100000,\"valid_mse\":0.41,\"best_possible_mse\":0.25}";
    private static final String ALS_10M = "{\"engine\":\"als\",\"ratings\":10000000,\"master\":\"local[2]\",\"seconds_per_iteration\":37.6,"
            + "\"ratings_per_sec\":212000,\"valid_mse\":0.39,\"best_possible_mse\":0.249}";
    private static final String DOT_10M = "{\"engine\":\"dot\",\"ratings\":10000000,\"seconds_per_epoch\":318,"
            + "\"ratings_per_sec\":25000,\"valid_mse\":0.38,\"best_possible_mse\":0.249}";
    private static final String LAZY_1M_OLD = "{\"engine\":\"dot\",\"adam\":\"lazy\",\"ratings\":1000000,\"seconds_per_epoch\":9,"
            + "\"ratings_per_sec\":90000,\"valid_mse\":0.40}";
    private static final String LAZY_1M = "{\"engine\":\"dot\",\"adam\":\"lazy\",\"ratings\":1000000,\"seconds_per_epoch\":5,"
            + "\"ratings_per_sec\":160000,\"valid_mse\":0.37}";

    @Test
    void groupsBySeriesSortsBySizeAndKeepsTheLastOfASize() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.jsonl"), "backend: CPU\n" + ALS_10M + "\n" + DOT_10M + "\n" + LAZY_1M_OLD + "\n");
        Path b = Files.writeString(tmp.resolve("b.jsonl"), ALS_1M + "\n" + LAZY_1M + "\n"
                + LAZY_1M.replace("\"adam\":\"lazy\"", "\"adam\":\"lazy\",\"wd\":0.01") + "\n");
        ScalingChart chart = ScalingChart.read(List.of(a, b));
        assertEquals(6, chart.points().size());
        Map<String, List<ScalingChart.Point>> s = chart.series();
        assertEquals(4, s.size(), s.keySet().toString());
        assertEquals(1, s.get("DotProductBias, lazy AdamW, wd 0.01 (per epoch)").size(), "another weight decay, another series");
        List<ScalingChart.Point> als = s.get("Spark ALS, local[2] (per iteration)");
        assertArrayEquals(new long[]{1_000_000, 10_000_000}, als.stream().mapToLong(ScalingChart.Point::ratings).toArray());
        assertEquals(8.0, als.get(0).secondsPerPass());
        // a line without "adam" and "wd" is from before they were options: dense, wd 0.1
        assertEquals(318, s.get("DotProductBias, dense AdamW, wd 0.1 (per epoch)").get(0).secondsPerPass());
        List<ScalingChart.Point> lazy = s.get("DotProductBias, lazy AdamW, wd 0.1 (per epoch)");
        assertEquals(1, lazy.size());
        assertEquals(5, lazy.get(0).secondsPerPass(), "the later measurement of the same size wins");

        List<Path> pngs = chart.write(tmp.resolve("charts"));
        for (Path p : pngs) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(p), 4);
            assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, head, p + " is a PNG");
        }
    }

    @Test
    void brokenOrIncompleteLinesNameFileAndLine() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.jsonl"), ALS_1M + "\n{\"engine\":\"als\",\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ScalingChart.read(List.of(broken)));
        assertTrue(e.getMessage().contains("broken.jsonl") && e.getMessage().contains("2"), e.getMessage());
        Path missing = Files.writeString(tmp.resolve("missing.jsonl"), "{\"engine\":\"dot\",\"ratings\":5,\"ratings_per_sec\":1,\"valid_mse\":1}\n");
        e = assertThrows(BadInputException.class, () -> ScalingChart.read(List.of(missing)));
        assertTrue(e.getMessage().contains("seconds_per_epoch"), e.getMessage());
        Path none = Files.writeString(tmp.resolve("none.txt"), "no json here\n");
        assertThrows(BadInputException.class, () -> ScalingChart.read(List.of(none)));
    }
}

package io.github.fastdl4j.collab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code collab bench}'s JSON line says how many rows were read, how long reading took, and the peak memory. */
class BenchLineTest {

    @TempDir
    Path tmp;

    @Test
    void benchLinesCarryRowsLoadSecondsAndPeakResident() throws IOException {
        Path ratings = SyntheticRatings.write(tmp.resolve("syn"), 40, 20, 8, 2);
        CliRun r = CliRun.run(new CollabMain(), "collab", "bench", "--ratings", ratings.toString(), "--models", "dot", "--epochs", "1",
                "--factors", "4");
        assertEquals(0, r.code(), r.out() + r.err());
        String line = r.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        var json = new ObjectMapper().readTree(line);
        assertEquals(Ratings.load(ratings).size(), json.get("rows").asInt(), line);
        assertTrue(json.get("load_seconds").isNumber() && json.get("load_seconds").asDouble() >= 0, line);
        assertTrue(json.get("peak_rss_mb").asLong() > 0, line);
    }
}

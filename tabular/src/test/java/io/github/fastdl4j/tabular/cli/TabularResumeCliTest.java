package io.github.fastdl4j.tabular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.train.ModelArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lesson's preset has dropout on (ps 0.001, 0.01, embedding dropout 0.04): a run killed (-9)
 * after its first checkpoint and resumed ends exactly as the uninterrupted run (it diverged, valid
 * 3.51 vs 2.77 after epoch 1, while the dropout generator's state was not in the checkpoint).
 */
@Tag("slow") // a second JVM killed with -9: about 40 s; TabularResumeTest is the fast check
class TabularResumeCliTest {

    @TempDir
    Path tmp;

    @Test
    void aKilledRunOfTheLessonsPresetResumesExactly() throws Exception {
        Path sim = tmp.resolve("sim");
        assertEquals(0, CliRun.run(new TabularMain(), "tabular", "generate", "--out", sim.toString(), "--stores", "8",
                "--from", "2015-01-01", "--to", "2015-07-31").code());
        String[] opts = {"--data-dir", sim.toString(), "--epochs", "5", "--layers", "50,20", "--bs", "64", "--checkpoint"};
        Path whole = tmp.resolve("whole");
        CliRun a = CliRun.run(new TabularMain(), "tabular", concat(new String[]{"train", "--out", whole.toString()}, opts));
        assertEquals(0, a.code(), a.err());

        Path out = tmp.resolve("killed");
        Path partial = tmp.resolve(".killed.partial").resolve("checkpoint.zip");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                TabularMain.class.getName(), "train", "--out", out.toString()));
        cmd.addAll(List.of(opts));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(partial) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly();
        p.waitFor();
        Assumptions.assumeTrue(Files.exists(partial), "the run finished before it could be killed: "
                + Files.readString(tmp.resolve("killed.log")));

        CliRun r = CliRun.run(new TabularMain(), "tabular", concat(new String[]{"train", "--out", out.toString(), "--resume"}, opts));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming " + out.toAbsolutePath()), r.out());
        JsonNode m1 = ModelArchive.JSON.readTree(whole.resolve("metrics.json").toFile());
        JsonNode m2 = ModelArchive.JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(5, m2.get("epochs").size());
        for (int e = 0; e < 5; e++) {
            assertEquals(m1.get("epochs").get(e).get("valid_loss").asDouble(), m2.get("epochs").get(e).get("valid_loss").asDouble(),
                    0, "epoch " + e);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

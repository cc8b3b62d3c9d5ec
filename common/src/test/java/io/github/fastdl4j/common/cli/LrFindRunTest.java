package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.testing.LinearModule;
import io.github.fastdl4j.common.testing.Synthetic;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.LrFindResult;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lr-find recipe every module's command runs: its lines, its chart, nothing left behind when the data fails. */
class LrFindRunTest {

    @TempDir
    Path tmp;

    @CommandLine.Command(name = "lr-find")
    static final class LrFind {
        @CommandLine.Mixin
        CommonOptions common;
    }

    private static CommonOptions parse(String... args) {
        LrFind c = new LrFind();
        new CommandLine(c).parseArgs(args);
        return c.common;
    }

    private static Learner learner() {
        return Learner.of(new LinearModule(2, 8, DataType.FLOAT, 1), Synthetic.regression(2048, 64, 32, 1), Losses.mse(),
                Metrics.mse()).quiet(true);
    }

    @Test
    void printsTheBackendAndTheSuggestionsAndWritesTheChart() throws IOException {
        Path out = tmp.resolve("run");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        LrFindResult r;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r = LrFindRun.run(parse("--out", out.toString()), "test-lr-find", () -> {
                System.out.println("the module's line");
                return learner();
            });
        } finally {
            System.setOut(old);
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, Arrays.toString(lines));
        assertEquals(BackendInfo.current().line(), lines[0]);
        assertEquals("the module's line", lines[1]);
        assertEquals("suggested learning rates: " + r.suggestions() + " (" + r.lrs().length + " steps); wrote " + out.resolve("lr_find.png"), lines[2]);
        assertTrue(lines[2].startsWith("suggested learning rates: valley "), lines[2]);
        // at most fastai's 100 steps: the finder stops early where the loss diverges
        assertTrue(r.lrs().length > 10 && r.lrs().length <= 100, r.lrs().length + " steps");
        assertTrue(r.valley() >= 1e-7 && r.valley() <= 10, "valley " + r.valley());
        byte[] png = Files.readAllBytes(out.resolve("lr_find.png"));
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
    }

    @Test
    void dataThatFailsLeavesNoOutputFolder() {
        Path out = tmp.resolve("run");
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertThrows(BadInputException.class, () -> LrFindRun.run(parse("--out", out.toString()), "test-lr-find", () -> {
                throw new BadInputException("ratings.csv:2: rating: expected a number");
            }));
        } finally {
            System.setOut(old);
        }
        assertFalse(Files.exists(out.resolve("lr_find.png")), "no chart of a run that did not happen");
    }
}

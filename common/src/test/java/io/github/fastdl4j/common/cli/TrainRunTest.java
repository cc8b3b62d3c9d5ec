package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.testing.LinearModule;
import io.github.fastdl4j.common.testing.Synthetic;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train recipe's promises about disk: a refused resume changes nothing, an output never holds an input. */
class TrainRunTest {

    @TempDir
    Path tmp;

    @CommandLine.Command(name = "train")
    static final class Train {
        @CommandLine.Mixin
        CommonOptions common;
        @CommandLine.Mixin
        TrainingOptions training;
        @CommandLine.Option(names = "--lr")
        double lr = 3e-2;
        @CommandLine.Option(names = "--csv")
        Path csv;
    }

    private static Train parse(String... args) {
        Train t = new Train();
        new CommandLine(t).parseArgs(args);
        return t;
    }

    private static TrainRun start(Train t) {
        return TrainRun.start("test", "linear", new CommandLine(t).getCommandSpec(), t.common, t.training);
    }

    private static Learner learner() {
        return Learner.of(new LinearModule(2, 8, DataType.FLOAT, 1), Synthetic.regression(256, 64, 32, 1), Losses.mse(),
                Metrics.mse()).quiet(true);
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    @Test
    void aRefusedResumeChangesNothingOnDiskAndTheRightOneThenResumes() throws IOException {
        Path out = tmp.resolve("run");
        Path partial = tmp.resolve(".run.partial");
        Path kept = tmp.resolve("kept");
        // a run with checkpoints, "killed" after two epochs: its partial folder is what a kill leaves
        Train first = parse("--out", out.toString(), "--checkpoint");
        try (TrainRun run = start(first)) {
            Learner learn = learner();
            run.attach(learn, "data-sha");
            learn.fitOneCycle(2, 3e-2, 0.01);
            assertTrue(Files.isRegularFile(partial.resolve("checkpoint.zip")));
            copy(partial, kept);
        }
        copy(kept, partial);
        Map<String, byte[]> before = contents(partial);

        // other options: refused, in one line, and nothing on disk changes
        Train other = parse("--out", out.toString(), "--resume", "--lr", "0.05", "--summary");
        try (TrainRun run = start(other)) {
            BadInputException e = assertThrows(BadInputException.class, () -> run.attach(learner(), "data-sha"));
            assertTrue(e.getMessage().contains("the killed run had other options"), e.getMessage());
        }
        Map<String, byte[]> after = contents(partial);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));

        // the right resume still finds its checkpoint
        Train same = parse("--out", out.toString(), "--resume");
        try (TrainRun run = start(same)) {
            run.attach(learner(), "data-sha");
        }
    }

    @Test
    void anOutputFolderThatHoldsAnInputIsRefusedBeforeAnything() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("run"));
        Path csv = Files.writeString(out.resolve("table.csv"), "a,b\n1,2\n");
        Files.createSymbolicLink(tmp.resolve("alias"), out);
        for (String o : new String[]{out.toString(), tmp.resolve("alias").toString(), tmp.resolve("x/../run").toString()}) {
            Train t = parse("--out", o, "--csv", csv.toString());
            RunFolder.Refused e = assertThrows(RunFolder.Refused.class, () -> start(t));
            assertTrue(e.getMessage().contains("holds --csv"), e.getMessage());
        }
        assertEquals("a,b\n1,2\n", Files.readString(csv));
    }
}

package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.io.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one check every writing command makes: an output is never one of the command's inputs. */
class OutputsTest {

    @TempDir
    Path tmp;

    @CommandLine.Command(name = "predict")
    static final class Predict {
        @CommandLine.Option(names = "--model-file")
        Path model;
        @CommandLine.Option(names = "--csv")
        Path csv;
        @CommandLine.Option(names = "--out")
        Path out;
        @CommandLine.Parameters(arity = "0..*")
        List<Path> more;
    }

    private CommandLine.Model.CommandSpec parse(String... args) {
        CommandLine cl = new CommandLine(new Predict());
        cl.parseArgs(args);
        return cl.getCommandSpec();
    }

    @Test
    void anOutputFileIsNeverAnInputWhateverItsName() throws IOException {
        Path model = Files.writeString(tmp.resolve("model.zip"), "model");
        Path csv = Files.writeString(tmp.resolve("rows.csv"), "a\n1\n");
        Files.createSymbolicLink(tmp.resolve("link.zip"), model);
        Files.createLink(tmp.resolve("hard.csv"), csv);
        Path cwd = Path.of("").toAbsolutePath();
        for (Path out : List.of(model, csv, tmp.resolve("link.zip"), tmp.resolve("hard.csv"), tmp.resolve("sub/../rows.csv"),
                cwd.relativize(csv), Path.of(".").resolve(cwd.relativize(model)))) {
            CommandLine.Model.CommandSpec spec = parse("--model-file", model.toString(), "--csv", csv.toString(), "--out", out.toString());
            RunFolder.Refused e = assertThrows(RunFolder.Refused.class, () -> Outputs.checkFile(spec, "--out", out), out.toString());
            assertTrue(e.getMessage().contains("which this run reads"), e.getMessage());
            assertTrue(e.getMessage().lines().count() == 1);
        }
        CommandLine.Model.CommandSpec ok = parse("--model-file", model.toString(), "--csv", csv.toString());
        assertDoesNotThrow(() -> Outputs.checkFile(ok, "--out", tmp.resolve("predictions.csv")));
        // a folder written into (not replaced) is not an input file either, nor any file at all
        assertThrows(RunFolder.Refused.class, () -> Outputs.checkSharedFolder(ok, "--out", tmp.resolve("hard.csv"), Set.of()));
        RunFolder.Refused file = assertThrows(RunFolder.Refused.class,
                () -> Outputs.checkSharedFolder(parse(), "--out", tmp.resolve("hard.csv"), Set.of()));
        assertTrue(file.getMessage().contains("is a file"), file.getMessage());
        // a positional list of inputs counts too
        CommandLine.Model.CommandSpec listed = parse(csv.toString(), model.toString());
        assertThrows(RunFolder.Refused.class, () -> Outputs.checkFile(listed, "--out", model));
    }

    @Test
    void anOutputFolderNeverHoldsAnInput() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path model = Files.writeString(run.resolve("model.zip"), "model");
        CommandLine.Model.CommandSpec spec = parse("--model-file", model.toString());
        RunFolder.Refused holds = assertThrows(RunFolder.Refused.class, () -> Outputs.checkFolder(spec, "--out", run));
        assertTrue(holds.getMessage().contains("holds --model-file"), holds.getMessage());
        assertThrows(RunFolder.Refused.class, () -> Outputs.checkFolder(spec, "--out", tmp.resolve("x/../run")));
        assertDoesNotThrow(() -> Outputs.checkFolder(spec, "--out", run.resolve("interpret")));
    }

    @Test
    void aFileARunWroteIsNotOverwrittenAndAnotherCommandsFolderIsNotWrittenInto() throws IOException {
        Path run = tmp.resolve("run");
        try (RunFolder r = RunFolder.open(run, "tabular train", Set.of("model.zip", "metrics.json"))) {
            Files.writeString(r.resolve("metrics.json"), "{}");
            r.commit();
        }
        CommandLine.Model.CommandSpec spec = parse();
        RunFolder.Refused e = assertThrows(RunFolder.Refused.class,
                () -> Outputs.checkFile(spec, "--out", run.resolve("metrics.json")));
        assertTrue(e.getMessage().contains("is part of the run folder") && e.getMessage().contains("'tabular train'"),
                e.getMessage());
        RunFolder.Refused shared = assertThrows(RunFolder.Refused.class,
                () -> Outputs.checkSharedFolder(spec, "--out", run, Set.of("chart.png")));
        assertTrue(shared.getMessage().contains("is the folder of 'tabular train'"), shared.getMessage());
        assertDoesNotThrow(() -> Outputs.checkSharedFolder(spec, "--out", tmp.resolve("charts"), Set.of("chart.png")));
    }
}

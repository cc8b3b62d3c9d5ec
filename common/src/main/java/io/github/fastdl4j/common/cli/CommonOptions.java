package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.io.RunFolder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** Options every job takes (a picocli mixin): data folder, seed, output folder, verbosity. */
public class CommonOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with the data sets (one subfolder each); default: $FASTDL4J_DATA, then the cache.")
    public Path dataDir;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    public long seed = 42;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/<job>-<model>-<yyyyMMdd-HHmmss>).")
    public Path out;

    @Option(names = "--verbose", description = "Show stack traces and debug logging.")
    public boolean verbose;

    /** The command these options belong to (null when made outside picocli). */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The output folder, checked and locked ({@link io.github.fastdl4j.common.io.RunFolder}):
     * {@code --out}, or a new {@code runs/<name>-<yyyyMMdd-HHmmss>} (with a suffix when two runs
     * start in the same second). {@code writes}: the names the command writes into it. A folder
     * that holds one of the command's inputs, or that another kind of command wrote, is refused.
     */
    public RunFolder openOut(String name, Set<String> writes) {
        String kind = command != null ? command.qualifiedName(" ") : null;
        if (out != null && command != null) {
            Outputs.checkFolder(command, "--out", out);
        }
        return out != null ? RunFolder.open(out, kind, writes)
                : RunFolder.openNew(outDir(name), kind, writes);
    }

    /**
     * For a command that writes no files (bench, evaluate, data: its results go to stdout): a
     * given {@code --out} is a usage error, not silently ignored.
     */
    public void noOutput() {
        if (out != null) {
            String name = command != null ? command.qualifiedName(" ") : "this command";
            String msg = "--out " + out + ": " + name + " writes no files; its results go to stdout (redirect them, e.g. "
                    + "> results.jsonl)";
            throw command != null ? new picocli.CommandLine.ParameterException(command.commandLine(), msg)
                    : new RunFolder.Refused(msg);
        }
    }

    /** The output folder: {@code --out}, or {@code runs/<job>-<yyyyMMdd-HHmmss>}. */
    public Path outDir(String job) {
        if (out != null) {
            return out;
        }
        return Path.of("runs", job + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}

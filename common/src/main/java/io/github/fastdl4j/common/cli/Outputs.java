package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.io.RunFolder;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * No command writes over what it reads: checked once, here, for every command that writes, before
 * any data is read. The inputs are every path the command was given (each option or parameter
 * holding a path, {@code --out} aside) and the files it reads beside them; paths are compared as
 * the file system resolves them, so a symbolic link, a relative path or {@code ./x} to the same
 * file is the same file. A refusal is a {@link RunFolder.Refused}: one line, exit code 2.
 */
public final class Outputs {

    /** A path the command reads, with the option that named it. */
    public record Input(String option, Path path) {
    }

    private Outputs() {
    }

    /** The paths a parsed command reads: the values of its options and parameters that are paths, but for {@code outOption}. */
    public static List<Input> inputs(CommandSpec spec, String outOption) {
        List<Input> in = new ArrayList<>();
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec a : args) {
            String name = a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
            if (name.equals(outOption)) {
                continue;
            }
            Object v = a.getValue();
            if (v instanceof Path p) {
                in.add(new Input(name, p));
            } else if (v instanceof Collection<?> c) {
                c.stream().filter(Path.class::isInstance).forEach(p -> in.add(new Input(name, (Path) p)));
            } else if (v instanceof Path[] ps) {
                for (Path p : ps) {
                    in.add(new Input(name, p));
                }
            }
        }
        return in;
    }

    /**
     * Refuses an output folder (replaced as a whole) that is one of the command's inputs or holds
     * one. {@code more}: inputs the command reads that no option names (e.g. a file beside another).
     */
    public static void checkFolder(CommandSpec spec, String outOption, Path out, Input... more) {
        if (out == null) {
            return;
        }
        Path target = real(out);
        for (Input i : all(spec, outOption, more)) {
            Path p = real(i.path());
            if (p.startsWith(target)) {
                throw new RunFolder.Refused(outOption + " " + out + (p.equals(target) ? " is " : " holds ") + i.option() + " "
                        + i.path() + ", which this run reads; the output folder is replaced as a whole: choose another "
                        + outOption);
            }
        }
    }

    /**
     * Refuses an output file that is one of the command's inputs (or lies in an input's place), or
     * that a fastdl4j command wrote into a run folder (a run's model.zip or metrics.json is not
     * overwritten by a prediction).
     */
    public static void checkFile(CommandSpec spec, String outOption, Path out, Input... more) {
        if (out == null) {
            return;
        }
        Path target = real(out);
        for (Input i : all(spec, outOption, more)) {
            if (same(target, out, i.path())) {
                throw new RunFolder.Refused(outOption + " " + out + " is " + i.option() + " " + i.path()
                        + ", which this run reads; choose another " + outOption);
            }
        }
        Path dir = target.getParent();
        if (dir != null && Files.exists(target, LinkOption.NOFOLLOW_LINKS) && RunFolder.wrote(dir, target.getFileName().toString())) {
            String kind = RunFolder.kindOf(dir);
            throw new RunFolder.Refused(outOption + " " + out + " is part of the run folder " + dir
                    + (kind != null ? " (written by '" + kind + "')" : "") + "; choose a file outside it");
        }
    }

    /**
     * Refuses an output folder that a command writes into without replacing it (collab-spark chart,
     * collab and tabular interpret): not a fastdl4j folder of another kind of command, and not one
     * of the command's input files.
     */
    public static void checkSharedFolder(CommandSpec spec, String outOption, Path out, Set<String> writes, Input... more) {
        if (out == null) {
            return;
        }
        Path target = real(out);
        String kind = RunFolder.kindOf(target);
        if (RunFolder.isRunFolder(target) && !spec.qualifiedName(" ").equals(kind)) {
            throw new RunFolder.Refused(outOption + " " + out + ": is the folder of '" + (kind != null ? kind : "another fastdl4j "
                    + "command") + "', which '" + spec.qualifiedName(" ") + "' does not write into; choose another folder");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            for (Input i : all(spec, outOption, more)) {
                if (same(target, out, i.path())) {
                    throw new RunFolder.Refused(outOption + " " + out + " is " + i.option() + " " + i.path()
                            + ", which this run reads; choose another " + outOption);
                }
            }
            throw new RunFolder.Refused(outOption + " " + out + ": is a file; an output folder is needed");
        }
        for (Input i : all(spec, outOption, more)) {
            if (same(target, out, i.path())) {
                throw new RunFolder.Refused(outOption + " " + out + " is " + i.option() + " " + i.path()
                        + ", which this run reads; choose another " + outOption);
            }
            for (String w : writes) {
                if (same(target.resolve(w), out.resolve(w), i.path())) {
                    throw new RunFolder.Refused(outOption + " " + out + ": writing " + w + " there would replace " + i.option()
                            + " " + i.path() + ", which this run reads; choose another " + outOption);
                }
            }
        }
    }

    private static List<Input> all(CommandSpec spec, String outOption, Input... more) {
        List<Input> in = new ArrayList<>(inputs(spec, outOption));
        in.addAll(List.of(more));
        return in;
    }

    private static boolean same(Path realOut, Path out, Path input) {
        if (realOut.equals(real(input))) {
            return true;
        }
        try {
            // hard links: two names, one file
            return Files.exists(out) && Files.exists(input) && Files.isSameFile(out, input);
        } catch (IOException e) {
            return false;
        }
    }

    /** The path as the file system resolves it: symbolic links followed as far as the path exists. */
    static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            Path parent = abs.getParent();
            return parent == null ? abs : real(parent).resolve(abs.getFileName());
        }
    }
}

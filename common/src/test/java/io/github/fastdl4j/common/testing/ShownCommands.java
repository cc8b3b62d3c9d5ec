package io.github.fastdl4j.common.testing;

import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code ./fastdl4j MODULE COMMAND ...} lines README and docs show, so a test can check them
 * against the code: each command exists and takes every option shown. Continuation lines (ending
 * in {@code \}) are joined and {@code #} comments dropped; options are read wherever they stand,
 * inside {@code [...]} synopses too, so a renamed or removed option fails the module's test.
 */
public final class ShownCommands {

    /** One command line as shown: where, the command (null: the module's root command), and the options it names. */
    public record Shown(String where, String command, List<String> options) {
    }

    private static final Pattern LAUNCH = Pattern.compile("\\./fastdl4j\\s+(?:--cuda\\s+)?(\\S+)(?:\\s+([a-z][a-z-]*))?(.*)");
    // an option: - or -- then a letter, not inside a word or path (runs/collab-dot-*/model.zip)
    private static final Pattern OPTION = Pattern.compile("(?<![\\w./*-])(--?[a-zA-Z][\\w-]*)");

    private ShownCommands() {
    }

    /** The repository's root, found from a module's working directory. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no README.md with docs/ above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** README.md and every page under docs/ (not docs/notes, which are dated working notes). */
    public static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md") && !root.resolve("docs/notes").equals(p.getParent()))
                    .sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** Every shown command line of {@code module} in the pages. */
    public static List<Shown> of(Path root, String module) {
        List<Shown> shown = new ArrayList<>();
        for (Path page : pages(root)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(page);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 0; i < lines.size(); i++) {
                StringBuilder line = new StringBuilder(lines.get(i));
                int first = i;
                while (line.toString().stripTrailing().endsWith("\\") && i + 1 < lines.size()) {
                    line.setLength(line.toString().stripTrailing().length() - 1);
                    line.append(' ').append(lines.get(++i));
                }
                // several commands may share a line of prose: take each one
                String text = line.toString();
                int at = text.indexOf("./fastdl4j ");
                while (at >= 0) {
                    int next = text.indexOf("./fastdl4j ", at + 1);
                    String one = next < 0 ? text.substring(at) : text.substring(at, next);
                    int comment = one.indexOf(" #");
                    if (comment >= 0) {
                        one = one.substring(0, comment);
                    }
                    int tick = one.indexOf('`');   // inline code ends at its backtick
                    if (tick >= 0) {
                        one = one.substring(0, tick);
                    }
                    Matcher m = LAUNCH.matcher(one);
                    if (m.lookingAt() && m.group(1).equals(module)) {
                        List<String> options = new ArrayList<>();
                        Matcher o = OPTION.matcher(m.group(3));
                        while (o.find()) {
                            options.add(o.group(1));
                        }
                        shown.add(new Shown(root.relativize(page) + ":" + (first + 1), m.group(2), options));
                    }
                    at = next;
                }
            }
        }
        return shown;
    }

    /**
     * What is wrong with the shown commands of {@code module} against its picocli root: a
     * command it does not have, or an option the command does not take. Empty when all is well.
     */
    public static List<String> problems(Path root, String module, CommandLine main) {
        List<String> problems = new ArrayList<>();
        for (Shown s : of(root, module)) {
            CommandLine sub = s.command() == null ? main : main.getSubcommands().get(s.command());
            if (sub == null) {
                problems.add(s.where() + ": " + module + " has no command '" + s.command() + "'");
                continue;
            }
            for (String o : s.options()) {
                if (sub.getCommandSpec().findOption(o) == null) {
                    problems.add(s.where() + ": " + module + (s.command() == null ? "" : " " + s.command()) + " has no option " + o);
                }
            }
        }
        return problems;
    }
}

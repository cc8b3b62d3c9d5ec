package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.TrainingDivergedException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Runs a picocli command the fastdl4j way: defaults from {@code config/<job>.properties}, bad
 * options give one line and exit code 2, user-data problems and divergence one line and exit
 * code 1 (a stack trace only with {@code --verbose}).
 */
public final class Cli {

    /** System property naming the folder of default configs; the launcher sets it. */
    public static final String CONFIG_DIR_PROPERTY = "fastdl4j.config.dir";

    private Cli() {
    }

    /** Executes and returns the exit code. */
    public static int execute(Object command, String job, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cl = new CommandLine(command);
        addVerbose(cl);
        Properties defaults = defaults(job);
        if (!defaults.isEmpty()) {
            cl.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(defaults));
        }
        String unknown = unknownKey(cl, defaults);
        if (unknown != null) {
            cl.getErr().println("error: " + configFile(job) + ": '" + unknown + "' is no option of any " + job
                    + " command (see --help)");
            return 2;
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            String where = "";
            if (ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
                String key = o.longestName().replaceFirst("^-+", "");
                boolean onCommandLine = Arrays.stream(a).anyMatch(x -> Arrays.asList(o.names()).contains(x.split("=", 2)[0]));
                if (!onCommandLine && defaults.stringPropertyNames().stream().anyMatch(k -> k.equals(key) || k.endsWith("." + key))) {
                    where = " (the value comes from " + configFile(job) + ")";
                }
            }
            ex.getCommandLine().getErr().println("error: " + BadInputException.oneLine(ex.getMessage()) + where + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            Throwable root = ex;
            if (root instanceof UncheckedIOException u) {
                root = u.getCause();
            }
            if (verbose) {
                ex.printStackTrace(c.getErr());
            }
            // messages quote user input and file names: always one line
            if (root instanceof RunFolder.Refused) {
                c.getErr().println("error: " + BadInputException.oneLine(root.getMessage()));
                return 2; // a bad --out is a bad option, found before any data was read
            }
            if (root instanceof BadInputException || root instanceof TrainingDivergedException
                    || root instanceof IllegalArgumentException || root instanceof IOException) {
                c.getErr().println("error: " + BadInputException.oneLine(String.valueOf(root.getMessage())));
                return 1;
            }
            if (!verbose) {
                c.getErr().println("error: " + BadInputException.oneLine(String.valueOf(root)) + " (run with --verbose for details)");
            }
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error: out of memory (" + BadInputException.oneLine(String.valueOf(e.getMessage())) + "); give the "
                    + "JVM more heap and ND4J more off-heap memory, e.g. JAVA_OPTS=\"-Xmx8g -Dorg.bytedeco.javacpp.maxbytes=4G\"");
            return 1;
        }
    }

    /**
     * Every command takes {@code --verbose} (error messages recommend it): those whose options do
     * not declare it get it here (it is read from the arguments above).
     */
    static void addVerbose(CommandLine cl) {
        ArrayDeque<CommandLine> todo = new ArrayDeque<>(List.of(cl));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            if (c.getCommandSpec().findOption("--verbose") == null) {
                c.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("--verbose").type(boolean.class)
                        .description("Show stack traces and debug logging.").build());
            }
            todo.addAll(c.getSubcommands().values());
        }
    }

    /** A key of the defaults that names no option of the command tree (a typo such as {@code epoch=1}), or null. */
    static String unknownKey(CommandLine cl, Properties defaults) {
        Set<String> names = new HashSet<>();
        Set<String> qualified = new HashSet<>();
        ArrayDeque<CommandLine> todo = new ArrayDeque<>(List.of(cl));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                String key = o.longestName().replaceFirst("^-+", "");
                names.add(key);
                qualified.add(c.getCommandSpec().qualifiedName(".") + "." + key);
            }
            todo.addAll(c.getSubcommands().values());
        }
        for (String k : defaults.stringPropertyNames()) {
            if (!names.contains(k) && !qualified.contains(k)) {
                return k;
            }
        }
        return null;
    }

    private static String configFile(String job) {
        return Path.of(System.getProperty(CONFIG_DIR_PROPERTY, "config")).resolve(job + ".properties").toString();
    }

    /**
     * Default option values for a job: {@code <config dir>/<job>.properties} where the config
     * folder is the {@value #CONFIG_DIR_PROPERTY} system property or {@code ./config}; keys are
     * option names without dashes, e.g. {@code epochs=5}. Missing file: no defaults.
     */
    public static Properties defaults(String job) {
        Properties p = new Properties();
        Path dir = Path.of(System.getProperty(CONFIG_DIR_PROPERTY, "config"));
        Path file = dir.resolve(job + ".properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return p;
    }
}

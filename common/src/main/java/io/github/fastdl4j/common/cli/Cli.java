package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.TrainingDivergedException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

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
        Properties defaults = defaults(job);
        if (!defaults.isEmpty()) {
            cl.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(defaults));
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage() + " (see --help)");
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
            if (root instanceof RunFolder.Refused) {
                c.getErr().println("error: " + root.getMessage());
                return 2; // a bad --out is a bad option, found before any data was read
            }
            if (root instanceof DataException || root instanceof TrainingDivergedException
                    || root instanceof IllegalArgumentException || root instanceof IOException) {
                c.getErr().println("error: " + root.getMessage());
                return 1;
            }
            if (!verbose) {
                c.getErr().println("error: " + root + " (run with --verbose for details)");
            }
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error: out of memory (" + e.getMessage() + "); give the JVM more with JAVA_OPTS=-Xmx...");
            return 1;
        }
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

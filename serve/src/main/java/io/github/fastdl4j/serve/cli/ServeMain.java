package io.github.fastdl4j.serve.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.Cli;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.http.ServeApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./fastdl4j serve [--runs DIR]... [--model-file F]...}: every trained model behind an HTTP
 * API. The options are checked before any model loads (exit code 2): a --host other than a
 * loopback address needs --token-file.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, subcommands = BenchCommand.class,
        description = "Serve the models of --runs folders (and --model-file zips) over HTTP: recommendations, similar movies, "
                + "predictions, feedback, /health, /metrics, /api/openapi.json. Picks up new and replaced runs while running.")
public final class ServeMain implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "DIR", description = "A folder of run folders (repeatable; default: runs).")
    List<Path> runs = new ArrayList<>();
    @Option(names = "--model-file", paramLabel = "F", description = "A model.zip to serve besides the runs (repeatable).")
    List<Path> modelFiles = new ArrayList<>();
    @Option(names = "--host", description = "The address to listen on (default: ${DEFAULT-VALUE}; any other than a loopback "
            + "address needs --token-file).")
    String host = "127.0.0.1";
    @Option(names = "--port", converter = Checks.NonNegativeInt.class, description = "The port (default: ${DEFAULT-VALUE}; 0: any free one).")
    int port = 8080;
    @Option(names = "--token-file", paramLabel = "F", description = "A file holding the token every request must send as "
            + "Authorization: Bearer <token>.")
    Path tokenFile;
    @Option(names = "--feedback-dir", paramLabel = "D", description = "Where feedback logs go, one <model id>.csv each "
            + "(default: feedback/ in the first --runs folder).")
    Path feedbackDir;
    @Option(names = "--max-batch", converter = Checks.PositiveInt.class,
            description = "Most requests (images, tabular rows) answered by one forward pass (default: ${DEFAULT-VALUE}; 1 turns batching off).")
    int maxBatch = 32;
    @Option(names = "--max-wait-ms", converter = Checks.NonNegativeInt.class,
            description = "How long a batch waits after its first for more requests already arriving, in ms (default: ${DEFAULT-VALUE}).")
    int maxWaitMs = 5;
    @Option(names = "--reload-ms", converter = Checks.PositiveInt.class,
            description = "How often --runs is scanned for new or replaced runs, in ms (default: ${DEFAULT-VALUE}).")
    int reloadMs = 2000;
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        withoutResidentCheck();
        int code = Cli.execute(new ServeMain(), "serve", args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        List<Path> dirs = runs.isEmpty() ? List.of(Path.of("runs")) : runs;
        for (Path f : modelFiles) {
            if (!Files.isRegularFile(f)) {
                throw new ParameterException(spec.commandLine(), "--model-file: " + f + ": not a file");
            }
        }
        for (Path d : runs) {
            if (!Files.isDirectory(d)) {
                throw new ParameterException(spec.commandLine(), "--runs: " + d + ": not a folder");
            }
        }
        String token = null;
        if (tokenFile != null) {
            try {
                token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--token-file: cannot read " + tokenFile);
            }
            if (token.length() < 16 || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new ParameterException(spec.commandLine(), "--token-file: the token must be at least 16 printable "
                        + "characters without spaces");
            }
        } else if (!loopback(host)) {
            throw new ParameterException(spec.commandLine(), "--host " + host + " is not a loopback address: give "
                    + "--token-file too, so that only clients with the token are answered");
        }
        System.err.println(BackendInfo.current().line());
        ServeConfig config = new ServeConfig(dirs, modelFiles, host, port, token,
                feedbackDir != null ? feedbackDir : ServeConfig.defaultFeedbackDir(dirs), maxBatch, maxWaitMs, reloadMs,
                ServeConfig.Limits.defaults());
        ServeApp app = ServeApp.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "serve-shutdown"));
        String shown = host.contains(":") ? "[" + host + "]" : host;
        System.out.printf("serving %d models (%s) on http://%s:%d/ (feedback in %s)%n", app.registry().size(),
                String.join(", ", app.registry().ids()), shown, app.port(), config.feedbackDir());
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** JavaCPP's property for the resident-memory cap on native allocations. */
    static final String MAX_PHYSICAL = "org.bytedeco.javacpp.maxPhysicalBytes";

    /**
     * Turns off JavaCPP's resident-memory check unless the user set it: with a cap (by default twice
     * {@code maxbytes}) every native allocation reads the process's resident size from /proc under
     * one global lock, and a server allocates in every forward pass, on every thread (in a profile
     * of one-row tabular requests it was half of the forward pass's native time). The cap on
     * native memory itself ({@code maxbytes}) still holds. Before anything loads JavaCPP.
     */
    static void withoutResidentCheck() {
        if (System.getProperty(MAX_PHYSICAL) == null && System.getProperty(MAX_PHYSICAL.toLowerCase(Locale.ROOT)) == null) {
            System.setProperty(MAX_PHYSICAL, "0");
        }
    }

    /** Whether a host is a loopback address (a name is resolved: localhost is one). */
    static boolean loopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.evaluate.Protocol;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.ParsingConverter;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The protocol options of {@code collab evaluate} and {@code collab-spark evaluate} (a picocli
 * mixin, like {@link RatingsOptions}): both evaluate on the same protocols, folds and ranking
 * lists, so they read them the same way.
 */
public final class EvaluateOptions {
    @Option(names = "--protocol", converter = ProtocolConverter.class,
            description = "kfold (ml-100k: its u1..u5) | u1 | u2 | u3 | u4 | u5 | ua | ub | random | cold-users | cold-movies "
                    + "(default: ${DEFAULT-VALUE}).")
    public Protocol protocol = Protocol.KFOLD;
    @Option(names = "--given", converter = Checks.NonNegativeInt.class,
            description = "cold-users / cold-movies: training ratings each held-out user or movie keeps (default: ${DEFAULT-VALUE}).")
    public int given = 5;
    @Option(names = "--folds", converter = Checks.PositiveInt.class, description = "Folds of kfold (default: ${DEFAULT-VALUE}).")
    public int folds = 5;
    @Option(names = "-k", converter = Checks.PositiveInt.class, description = "Length of the ranked lists (default: ${DEFAULT-VALUE}).")
    public int k = 10;
    @Option(names = "--relevant", converter = Checks.PositiveDouble.class,
            description = "A held-out rating at least this high is relevant (default: ${DEFAULT-VALUE}).")
    public double relevant = 4;
    @Option(names = "--on", converter = OnConverter.class,
            description = "test (the protocol's held-out ratings) or valid (a seeded 10%% of each fold's training "
                    + "ratings: for choosing settings without reading the test ratings) (default: ${DEFAULT-VALUE}).")
    public String on = "test";

    /** Whether the validation parts are measured instead of the test ratings. */
    public boolean onValid() {
        return on.equals("valid");
    }

    /** What the options cannot say alone: kfold needs two folds. A usage error (exit 2), before any data is read. */
    public void check(CommandLine commandLine) {
        if (protocol == Protocol.KFOLD && folds < 2) {
            throw new CommandLine.ParameterException(commandLine, "--folds needs at least 2");
        }
    }

    static final class ProtocolConverter extends ParsingConverter<Protocol> {
        ProtocolConverter() {
            super(Protocol::of);
        }
    }

    static final class OnConverter extends ParsingConverter<String> {
        OnConverter() {
            super(v -> {
                if (!v.equals("test") && !v.equals("valid")) {
                    throw new IllegalArgumentException("expected test or valid, got '" + v + "'");
                }
                return v;
            });
        }
    }
}

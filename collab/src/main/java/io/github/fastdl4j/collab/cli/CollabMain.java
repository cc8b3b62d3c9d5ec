package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.common.cli.Cli;
import picocli.CommandLine.Command;

/** {@code ./fastdl4j collab ...}: train, interpret, similar, recommend, bench. */
@Command(name = "collab", mixinStandardHelpOptions = true,
        description = "Collaborative filtering on MovieLens (ml-100k by default).",
        subcommands = {TrainCommand.class, LrFindCommand.class, InterpretCommand.class, SimilarCommand.class,
                PredictCommand.class, RecommendCommand.class, BenchCommand.class, EvaluateCommand.class, GenerateCommand.class})
public final class CollabMain implements Runnable {

    public static void main(String[] args) {
        System.exit(Cli.execute(new CollabMain(), "collab", args));
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}

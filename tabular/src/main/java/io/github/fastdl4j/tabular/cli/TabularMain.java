package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./fastdl4j tabular ...}: generate, train, interpret, predict, bench. */
@Command(name = "tabular", mixinStandardHelpOptions = true,
        description = "Entity embeddings on shop-sales data in the Rossmann layout (simulated unless --data-dir has the Kaggle files).",
        subcommands = {GenerateCommand.class, TrainCommand.class, LrFindCommand.class, InterpretCommand.class,
                PredictCommand.class, DescribeCommand.class, BenchCommand.class})
public final class TabularMain implements Runnable {

    public static void main(String[] args) {
        System.exit(Cli.execute(new TabularMain(), "tabular", args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}

package io.github.fastdl4j.common.cli;

import picocli.CommandLine.Option;

/**
 * The one-cycle options every training command takes (a picocli mixin). Each job subclasses it
 * and sets its own defaults in the constructor; {@code config/<job>.properties} and flags
 * override them.
 */
public class FitOptions {

    @Option(names = "--epochs", converter = Checks.PositiveInt.class, description = "Epochs (default: ${DEFAULT-VALUE}).")
    public int epochs;

    @Option(names = "--lr", converter = Checks.PositiveDouble.class,
            description = "Maximum learning rate of the one-cycle schedule (default: ${DEFAULT-VALUE}).")
    public double lr;

    @Option(names = "--wd", converter = Checks.NonNegativeDouble.class, description = "Weight decay (default: ${DEFAULT-VALUE}).")
    public double wd;

    @Option(names = "--bs", converter = Checks.PositiveInt.class, description = "Batch size (default: ${DEFAULT-VALUE}).")
    public int batchSize;

    protected FitOptions(int epochs, double lr, double wd, int batchSize) {
        this.epochs = epochs;
        this.lr = lr;
        this.wd = wd;
        this.batchSize = batchSize;
    }
}

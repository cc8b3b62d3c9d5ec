package io.github.fastdl4j.common.cli;

import picocli.CommandLine.Option;

/**
 * The one-cycle options every training command takes (a picocli mixin). Each job subclasses it
 * and sets its own defaults in the constructor; {@code config/<job>.properties} and flags
 * override them.
 */
public class FitOptions {

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    public int epochs;

    @Option(names = "--lr", description = "Maximum learning rate of the one-cycle schedule (default: ${DEFAULT-VALUE}).")
    public double lr;

    @Option(names = "--wd", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    public double wd;

    @Option(names = "--bs", description = "Batch size (default: ${DEFAULT-VALUE}).")
    public int batchSize;

    protected FitOptions(int epochs, double lr, double wd, int batchSize) {
        this.epochs = epochs;
        this.lr = lr;
        this.wd = wd;
        this.batchSize = batchSize;
    }
}

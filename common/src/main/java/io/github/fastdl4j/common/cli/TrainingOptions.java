package io.github.fastdl4j.common.cli;

import picocli.CommandLine.Option;

/**
 * fastai's callbacks users reach for first, as options of every train command (a picocli mixin):
 * early stopping, keeping the best epoch, reducing the rate on a plateau, checkpoints and resume,
 * and the model summary. All watch {@code valid_loss}, as fastai's defaults do.
 */
public class TrainingOptions {

    @Option(names = "--early-stop", paramLabel = "PATIENCE", converter = Checks.PositiveInt.class,
            description = "Stop when valid_loss has not improved for PATIENCE epochs (fastai's EarlyStoppingCallback).")
    public Integer earlyStop;

    @Option(names = "--save-best",
            description = "Keep and save the weights of the epoch with the lowest valid_loss, not the last (fastai's SaveModelCallback).")
    public boolean saveBest;

    @Option(names = "--reduce-lr", paramLabel = "PATIENCE", converter = Checks.PositiveInt.class,
            description = "Divide the learning rate by 10 when valid_loss has not improved for PATIENCE epochs (ReduceLROnPlateau).")
    public Integer reduceLr;

    @Option(names = "--checkpoint",
            description = "Write checkpoint.zip (weights, optimiser state, progress) after every epoch, so --resume can continue a killed run.")
    public boolean checkpoint;

    @Option(names = "--resume",
            description = "Continue the killed run of --out from its last checkpoint (same options and data).")
    public boolean resume;

    @Option(names = "--summary", description = "Print the model's layers or parameters with output shapes and counts (also summary.txt).")
    public boolean summary;
}

package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.model.CollabKind;
import picocli.CommandLine.Option;

/** The {@code --model} option of train and lr-find. */
class ModelOption {
    @Option(names = "--model", converter = KindConverter.class,
            description = "dot | dot-linear | dot-layers | nn | nn-layers | nn-bn | hybrid | bpr (implicit feedback: ranks, does not "
                    + "rate) (default: ${DEFAULT-VALUE}).")
    CollabKind kind = CollabKind.DOT;
}

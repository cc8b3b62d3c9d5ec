package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.vision.model.Arch;
import picocli.CommandLine.Option;

/** The {@code --arch} option of train and lr-find: one architecture, fastbook's simple-cnn by default. */
class ArchOption {
    @Option(names = "--arch", converter = VisionMain.ArchConverter.class,
            description = "classic | stride2 | concat | simple-cnn | wide-cnn (default: ${DEFAULT-VALUE}).")
    Arch arch = Arch.SIMPLE_CNN;
}

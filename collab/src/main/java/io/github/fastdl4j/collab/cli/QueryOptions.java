package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.common.cli.Checks;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options of the commands that answer from a saved model. */
class QueryOptions {
    @Option(names = "-k", converter = Checks.PositiveInt.class, description = "How many (default: ${DEFAULT-VALUE}).")
    int k = 10;
    @Option(names = "--model-file", required = true, description = "A model.zip from train.")
    Path modelFile;
}

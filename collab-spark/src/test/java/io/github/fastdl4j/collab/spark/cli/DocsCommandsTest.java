package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.common.testing.ShownCommands;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every `./fastdl4j collab-spark COMMAND` that README and docs show names a real command and real options. */
class DocsCommandsTest {

    @Test
    void shownCommandsParse() {
        Path root = ShownCommands.repoRoot();
        assertFalse(ShownCommands.of(root, "collab-spark").isEmpty(), "README and docs show no collab-spark command");
        assertEquals(List.of(), ShownCommands.problems(root, "collab-spark", new CommandLine(new CollabSparkMain())));
    }
}

package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.common.testing.ShownCommands;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every `./fastdl4j collab COMMAND` that README and docs show names a real command and real options. */
class DocsCommandsTest {

    @Test
    void shownCommandsParse() {
        Path root = ShownCommands.repoRoot();
        assertFalse(ShownCommands.of(root, "collab").isEmpty(), "README and docs show no collab command");
        assertEquals(List.of(), ShownCommands.problems(root, "collab", new CommandLine(new CollabMain())));
    }
}

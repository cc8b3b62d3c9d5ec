package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.testing.ShownCommands;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every `./fastdl4j common COMMAND` that README and docs show names a real command and real options. */
class DocsCommandsTest {

    @Test
    void shownCommandsParse() {
        Path root = ShownCommands.repoRoot();
        assertFalse(ShownCommands.of(root, "common").isEmpty(), "README and docs show no common command");
        assertEquals(List.of(), ShownCommands.problems(root, "common", new CommandLine(new CommonMain())));
    }
}

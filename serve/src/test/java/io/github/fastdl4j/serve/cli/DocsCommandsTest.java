package io.github.fastdl4j.serve.cli;

import io.github.fastdl4j.common.testing.ShownCommands;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every `./fastdl4j serve ...` that README and docs show names real options (of serve or its bench). */
class DocsCommandsTest {

    @Test
    void shownCommandsParse() {
        Path root = ShownCommands.repoRoot();
        assertFalse(ShownCommands.of(root, "serve").isEmpty(), "README and docs show no serve command");
        assertEquals(List.of(), ShownCommands.problems(root, "serve", new CommandLine(new ServeMain())));
    }
}

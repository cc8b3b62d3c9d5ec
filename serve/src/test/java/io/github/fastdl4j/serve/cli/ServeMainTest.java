package io.github.fastdl4j.serve.cli;

import io.github.fastdl4j.common.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Usage errors: one line, exit code 2, before anything loads (none of these starts a server). */
class ServeMainTest {

    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.run(new ServeMain(), "serve", args);
    }

    private static void usage(CliRun r, String says) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(says), r.err());
        assertFalse(r.err().contains("backend:"), "nothing loaded: " + r.err());
    }

    @Test
    void aNonLoopbackHostNeedsATokenFile() throws Exception {
        Files.createDirectories(tmp.resolve("runs"));
        usage(run("--runs", tmp.resolve("runs").toString(), "--host", "0.0.0.0"), "is not a loopback address");
        Path token = tmp.resolve("token");
        Files.writeString(token, "short");
        usage(run("--runs", tmp.resolve("runs").toString(), "--host", "0.0.0.0", "--token-file", token.toString()), "at least 16");
        usage(run("--runs", tmp.resolve("runs").toString(), "--token-file", tmp.resolve("none").toString()), "cannot read");
    }

    @Test
    void badOptionsAreUsageErrors() {
        usage(run("--runs", tmp.resolve("nowhere").toString()), "not a folder");
        usage(run("--model-file", tmp.resolve("none.zip").toString()), "not a file");
        usage(run("--port", "-1"), "--port");
        usage(run("--max-batch", "0"), "--max-batch");
        usage(run("--no-such-option"), "no-such-option");
        usage(run("bench"), "--runs");
        usage(run("bench", "--runs", tmp.resolve("nowhere").toString()), "not a folder");
        assertTrue(ServeMain.loopback("127.0.0.1") && ServeMain.loopback("::1") && ServeMain.loopback("localhost"));
        assertFalse(ServeMain.loopback("0.0.0.0") || ServeMain.loopback("10.1.2.3"));
    }

    @Test
    void theServerTurnsOffJavaCppsResidentCheckUnlessSet() {
        String before = System.getProperty(ServeMain.MAX_PHYSICAL);
        try {
            System.clearProperty(ServeMain.MAX_PHYSICAL);
            ServeMain.withoutResidentCheck();
            // before: every native allocation of a forward pass read /proc/self/statm under a global lock
            assertEquals("0", System.getProperty(ServeMain.MAX_PHYSICAL));
            System.setProperty(ServeMain.MAX_PHYSICAL, "3G");
            ServeMain.withoutResidentCheck();
            assertEquals("3G", System.getProperty(ServeMain.MAX_PHYSICAL), "the user's setting is kept");
        } finally {
            if (before == null) {
                System.clearProperty(ServeMain.MAX_PHYSICAL);
            } else {
                System.setProperty(ServeMain.MAX_PHYSICAL, before);
            }
        }
    }
}

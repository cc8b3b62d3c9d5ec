package io.github.fastdl4j.common.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    private static String[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        int code;
        try {
            code = Cli.execute(new CommonMain(), "common", args);
        } finally {
            System.setErr(err);
        }
        return new String[]{String.valueOf(code), buf.toString()};
    }

    @Test
    void badOptionIsOneLineAndExitCode2() {
        String[] r = run("bench", "--no-such-option");
        assertEquals("2", r[0]);
        assertTrue(r[1].startsWith("error: Unknown option: '--no-such-option'"), r[1]);
        assertEquals(1, r[1].strip().lines().count());
    }

    @Test
    void dataProblemIsOneLineAndExitCode1() {
        String[] r = run("data", "no-such-data-set");
        assertEquals("1", r[0]);
        assertTrue(r[1].startsWith("error: unknown data set 'no-such-data-set'"), r[1]);
        assertFalse(r[1].contains("\tat "), "no stack trace");
    }
}

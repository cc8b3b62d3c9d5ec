package io.github.fastdl4j.common.testing;

import io.github.fastdl4j.common.cli.Cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * Runs a command line in-process, as the launcher would, capturing what it prints.
 *
 * @param code the exit code
 * @param out  what went to stdout
 * @param err  what went to stderr
 */
public record CliRun(int code, String out, String err) {

    public static CliRun run(Object command, String job, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        try {
            int code = Cli.execute(command, job, args);
            return new CliRun(code, o.toString(), e.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}

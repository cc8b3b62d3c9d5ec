package io.github.fastdl4j.common.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
    void anUnknownDataSetNameIsAUsageErrorInOneLine() {
        String[] r = run("data", "no-such-data-set");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].startsWith("error: unknown data set 'no-such-data-set': known are ml-100k, mnist, rossmann"), r[1]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
    }

    @Test
    void aCommandThatWritesNoFilesRefusesOut() {
        String[] r = run("data", "mnist", "--out", "x");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].startsWith("error: --out x: common data writes no files"), r[1]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
    }

    @Test
    void everyCommandTakesVerbose() {
        // info and bench declare no --verbose of their own
        String[] r = run("info", "--verbose");
        assertEquals("0", r[0], r[1]);
        picocli.CommandLine cl = new picocli.CommandLine(new CommonMain());
        Cli.addVerbose(cl);
        for (picocli.CommandLine c : cl.getSubcommands().values()) {
            assertTrue(c.getCommandSpec().findOption("--verbose") != null, c.getCommandName());
        }
    }

    @picocli.CommandLine.Command(name = "job", subcommands = Sub.class)
    static final class Job implements Runnable {
        @Override
        public void run() {
        }
    }

    @picocli.CommandLine.Command(name = "sub")
    static final class Sub implements Runnable {
        static int seenEpochs;
        static double seenLr;

        @picocli.CommandLine.Option(names = "--epochs")
        int epochs = 5;
        @picocli.CommandLine.Option(names = "--lr")
        double lr = 1e-3;

        @Override
        public void run() {
            seenEpochs = epochs;
            seenLr = lr;
        }
    }

    @Test
    void defaultsComeFromTheJobsPropertiesAndFlagsOverride(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("job.properties"), "epochs=2\nlr=0.05\n");
        String old = System.getProperty(Cli.CONFIG_DIR_PROPERTY);
        System.setProperty(Cli.CONFIG_DIR_PROPERTY, dir.toString());
        try {
            assertEquals(0, Cli.execute(new Job(), "job", "sub"));
            assertEquals(2, Sub.seenEpochs);
            assertEquals(0.05, Sub.seenLr);
            assertEquals(0, Cli.execute(new Job(), "job", "sub", "--epochs", "7"));
            assertEquals(7, Sub.seenEpochs);
        } finally {
            if (old == null) {
                System.clearProperty(Cli.CONFIG_DIR_PROPERTY);
            } else {
                System.setProperty(Cli.CONFIG_DIR_PROPERTY, old);
            }
        }
    }

    @Test
    void configFilesAreCheckedToo(@TempDir Path dir) throws Exception {
        String old = System.getProperty(Cli.CONFIG_DIR_PROPERTY);
        System.setProperty(Cli.CONFIG_DIR_PROPERTY, dir.toString());
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setErr(new PrintStream(e, true));
        try {
            // a key aimed at one command, with its qualified name
            Files.writeString(dir.resolve("job.properties"), "job.sub.epochs=3\n");
            assertEquals(0, Cli.execute(new Job(), "job", "sub"));
            assertEquals(3, Sub.seenEpochs);
            // a typo is a usage error naming the file, before anything runs
            Files.writeString(dir.resolve("job.properties"), "epoch=3\n");
            assertEquals(2, Cli.execute(new Job(), "job", "sub"));
            assertTrue(e.toString().contains("job.properties: 'epoch' is no option of any job command"), e.toString());
        } finally {
            System.setErr(err);
            if (old == null) {
                System.clearProperty(Cli.CONFIG_DIR_PROPERTY);
            } else {
                System.setProperty(Cli.CONFIG_DIR_PROPERTY, old);
            }
        }
    }
}

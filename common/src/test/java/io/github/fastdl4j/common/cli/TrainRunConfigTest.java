package io.github.fastdl4j.common.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainRunConfigTest {

    @CommandLine.Command(name = "t")
    static final class Cmd {
        @CommandLine.Option(names = "--given")
        Integer given;
        @CommandLine.Option(names = "--unset")
        String unset;
        @CommandLine.Option(names = "--with-default")
        int withDefault = 3;
    }

    @Test
    void theConfigRecordsOptionsWithAValueAndLeavesOutUnsetOnes() {
        CommandLine cl = new CommandLine(new Cmd());
        cl.parseArgs("--given", "7");
        assertEquals(Map.of("given", 7, "with_default", 3), TrainRun.config(cl.getCommandSpec()));
    }
}

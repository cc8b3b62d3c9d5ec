package io.github.fastdl4j.common.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An input that is not a regular file is named for what it is: /dev/null is there, it is not "not found". */
class NotAFileTest {

    @TempDir
    Path tmp;

    private static String refusal(Path p) {
        return assertThrows(BadInputException.class, () -> CsvTable.read(p, CsvTable.Format.csv())).getMessage();
    }

    @Test
    void devNullAFolderAndAMissingFileEachSayWhatTheyAre() throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")));
        assertEquals("/dev/null: not a regular file (a device, pipe or socket, such as /dev/null); a file is needed",
                refusal(Path.of("/dev/null")));
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        assertEquals(dir + ": is a folder, a file is needed", refusal(dir));
        assertEquals(tmp.resolve("none.csv") + ": file not found", refusal(tmp.resolve("none.csv")));
        assertEquals("/dev/null: not a regular file (a device, pipe or socket, such as /dev/null); an image is needed",
                BadInputException.notAFile(Path.of("/dev/null"), "image").getMessage());
    }
}

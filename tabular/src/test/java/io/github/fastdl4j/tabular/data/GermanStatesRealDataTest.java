package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.testing.RealData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The simulator's states and their store counts are those of the competition's real store_states.csv. */
@Tag("real-data")
class GermanStatesRealDataTest {

    @Test
    void statesAndStoreCountsMatchTheRealStoreStates() throws IOException {
        Map<String, Integer> real = new TreeMap<>();
        try (Reader in = Files.newBufferedReader(RealData.require("rossmann").resolve("store_states.csv"));
             CSVParser p = CSVParser.parse(in, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
            for (CSVRecord r : p) {
                real.merge(r.get("State"), 1, Integer::sum);
            }
        }
        Map<String, Integer> ours = GermanStates.ALL.stream()
                .collect(Collectors.toMap(GermanStates.State::code, GermanStates.State::stores, (a, b) -> a, TreeMap::new));
        assertEquals(real, ours);
        assertEquals(1115, real.values().stream().mapToInt(Integer::intValue).sum());
    }
}

package io.github.fastdl4j.common.data;

import io.github.fastdl4j.common.testing.RealData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The registered checksums match the real files in FASTDL4J_DATA (so a download would verify). */
@Tag("real-data")
class RegisteredDatasetsTest {

    @Test
    void checksumsMatchRealData() throws Exception {
        for (String name : new String[]{"ml-100k", "mnist"}) {
            Path dir = RealData.require(name);
            DatasetSpec spec = Datasets.registered().get(name);
            for (Map.Entry<String, String> e : spec.sha256().entrySet()) {
                assertEquals(e.getValue(), Datasets.sha256(dir.resolve(e.getKey()), e.getKey().endsWith(".gz")),
                        name + "/" + e.getKey());
            }
        }
    }

    @Test
    void resolvesFromTheDataFolder() {
        Path dir = RealData.require("ml-100k");
        assertEquals(dir, Datasets.resolve("ml-100k", dir.getParent()));
    }
}

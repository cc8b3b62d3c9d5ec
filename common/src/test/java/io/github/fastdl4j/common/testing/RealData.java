package io.github.fastdl4j.common.testing;

import io.github.fastdl4j.common.data.Datasets;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

/**
 * Real data sets for tests. Locally, without {@code FASTDL4J_DATA}, such tests are skipped; in
 * CI ({@code CI=true}) a missing data set fails the test instead, so a CI run never passes
 * without having used the real data.
 */
public final class RealData {

    private RealData() {
    }

    /** The folder of a data set from {@code FASTDL4J_DATA}, never downloading. */
    public static Path require(String name) {
        String dir = System.getenv(Datasets.DATA_ENV);
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (dir == null || dir.isBlank()) {
            if (ci) {
                throw new AssertionError("CI=true but " + Datasets.DATA_ENV + " is not set: the real data test cannot run");
            }
            Assumptions.abort(Datasets.DATA_ENV + " is not set: skipping a real-data test (it fails instead in CI)");
        }
        Path p = Path.of(dir).resolve(name);
        if (!p.toFile().isDirectory()) {
            throw new AssertionError(Datasets.DATA_ENV + "=" + dir + " has no " + name + " folder");
        }
        return p;
    }
}

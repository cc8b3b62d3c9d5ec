package io.github.fastdl4j.collab.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions for fastdl4j jobs: a master URL, quiet UI, and a clear error when the master is wrong. */
public final class SparkSessions {

    private SparkSessions() {
    }

    /**
     * A session on {@code master} ({@code local[*]}, {@code local[2]}, {@code spark://host:port}, ...).
     * A bad master URL or an unreachable cluster is an {@link IllegalArgumentException} with one line.
     */
    public static SparkSession local(String master) {
        try {
            return SparkSession.builder().master(master).appName("fastdl4j collab-spark")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "8")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
        } catch (Exception e) { // Scala throws SparkException (checked) undeclared
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            throw new IllegalArgumentException("cannot start Spark with master '" + master + "': " + why, e);
        }
    }
}

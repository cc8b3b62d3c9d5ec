package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.collab.spark.SparkSessions;
import io.github.fastdl4j.common.cli.ParsingConverter;

/** A Spark master URL of a supported form; anything else is a usage error. */
final class MasterConverter extends ParsingConverter<String> {
    MasterConverter() {
        super(SparkSessions::checkMaster);
    }
}

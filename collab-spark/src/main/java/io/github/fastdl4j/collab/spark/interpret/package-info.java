/**
 * Scaling charts from bench lines.
 *
 * <p>Imported by {@code collab.spark.cli}.
 */
package io.github.fastdl4j.collab.spark.interpret;

/**
 * collab-spark's command line (train, evaluate, bench, chart).
 *
 * <p>Imported by nobody.
 */
package io.github.fastdl4j.collab.spark.cli;

/**
 * Spark MLlib ALS with biases ({@code SparkAls}), explicit and implicit, saved in collab's model
 * format; Spark sessions for local and {@code spark://} masters.
 *
 * <p>Imported by {@code collab.spark.cli}. Imports collab's {@code data} and {@code model};
 * nothing in the other modules imports Spark.
 */
package io.github.fastdl4j.collab.spark;

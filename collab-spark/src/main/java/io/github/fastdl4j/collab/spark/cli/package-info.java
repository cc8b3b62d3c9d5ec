/**
 * collab-spark's command line: a short root ({@code CollabSparkMain}) and one file per command
 * (train, evaluate, bench, chart), with the option mixins in their own files ({@code
 * AlsOptions}, {@code ImplicitOptions}). evaluate prints through collab's {@code
 * EvaluationReport}, as {@code collab evaluate} does.
 *
 * <p>Imported by nobody.
 */
package io.github.fastdl4j.collab.spark.cli;

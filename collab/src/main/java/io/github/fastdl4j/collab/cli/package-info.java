/**
 * collab's command line: a short root ({@code CollabMain}) and one file per command (train,
 * lr-find, interpret, similar, predict, recommend, evaluate, bench, generate), with the option
 * mixins in their own files ({@code RatingsOptions}, {@code EvaluateOptions}, {@code
 * HyperOptions}, {@code ModelOption}, {@code QueryOptions}). The CLI parses and calls; it holds
 * no model logic, and the evaluate report is {@code collab.evaluate.EvaluationReport}.
 *
 * <p>Imported by nobody but collab-spark's cli (which reuses {@code RatingsOptions} and {@code
 * EvaluateOptions}).
 */
package io.github.fastdl4j.collab.cli;

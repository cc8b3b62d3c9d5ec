/**
 * collab's command line: one picocli main and its commands (train, lr-find, interpret, similar,
 * predict, recommend, evaluate, bench, generate), with their option mixins ({@code
 * RatingsOptions}, {@code EvaluateOptions}). The CLI parses and calls; it holds no model logic.
 *
 * <p>Imported by nobody but collab-spark's cli (which reuses {@code EvaluateOptions}).
 */
package io.github.fastdl4j.collab.cli;

/**
 * tabular's command line, one file per command (generate, train, lr-find, interpret, predict,
 * describe, bench) under {@code TabularMain}, and the options they share ({@code DataChoice},
 * {@code Hyper}, {@code TableOptions}). The CLI parses and calls: scores are in {@code
 * tabular.evaluate}, reports in {@code tabular.interpret}, prediction files in {@code tabular.model}.
 *
 * <p>Imported by nobody.
 */
package io.github.fastdl4j.tabular.cli;

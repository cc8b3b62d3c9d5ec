/**
 * tabular's command line (generate, train, lr-find, interpret, predict, describe, bench) and its
 * table options. The CLI parses and calls.
 *
 * <p>Imported by nobody.
 */
package io.github.fastdl4j.tabular.cli;

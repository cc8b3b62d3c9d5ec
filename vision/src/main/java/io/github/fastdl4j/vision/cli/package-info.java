/**
 * vision's command line, one file per command (train, lr-find, predict, interpret, export-images,
 * explain, bench). The CLI parses and calls.
 *
 * <p>Imported by nobody.
 */
package io.github.fastdl4j.vision.cli;

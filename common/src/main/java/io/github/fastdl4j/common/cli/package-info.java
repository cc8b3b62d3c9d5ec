/**
 * Command-line pieces every module's main shares: picocli setup and exit codes ({@code Cli}),
 * option mixins ({@code CommonOptions}, {@code FitOptions}, {@code TrainingOptions}, {@code
 * CsvFormatOptions}), option checks that run before any data loads ({@code Checks}), the recipes
 * every {@code train} and every {@code lr-find} command follows ({@code TrainRun}, {@code
 * LrFindRun}), the backend line and memory peaks.
 *
 * <p>Imported only by the modules' {@code cli} packages. Imports {@code common.train}, {@code
 * common.data}, {@code common.io}, {@code common.module}; the backend line reads ND4J's
 * environment.
 */
package io.github.fastdl4j.common.cli;

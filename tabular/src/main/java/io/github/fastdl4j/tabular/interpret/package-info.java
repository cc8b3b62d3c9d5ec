/**
 * What a tabular model shows: embedding maps, embeddings as features, the report of a
 * validation run ({@code ValidationReport}), show_results printed ({@code ResultsTable}), and the
 * {@code describe} report.
 *
 * <p>Imported by {@code tabular.cli} and the tabular learner.
 */
package io.github.fastdl4j.tabular.interpret;

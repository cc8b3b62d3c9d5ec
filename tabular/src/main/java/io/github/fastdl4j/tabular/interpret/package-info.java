/**
 * What a tabular model shows: embedding maps, embeddings as features, and the {@code describe}
 * report.
 *
 * <p>Imported by {@code tabular.cli}.
 */
package io.github.fastdl4j.tabular.interpret;

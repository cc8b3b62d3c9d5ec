/**
 * A tabular model served: JSON or CSV rows in the training table's raw columns, predictions (and
 * class probabilities) out, concurrent requests answered by one forward pass.
 *
 * <p>Imported by {@code serve.registry} and {@code serve.http}.
 */
package io.github.fastdl4j.serve.tabular;

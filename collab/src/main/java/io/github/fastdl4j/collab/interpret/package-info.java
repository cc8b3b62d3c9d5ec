/**
 * The lesson's interpretation of a collab model: biases, PCA of the factors, similar movies,
 * recommendations, and fold-in of a new user ({@code FoldIn}).
 *
 * <p>Imported by {@code collab.cli} and library users. Imports {@code collab.model} and common's
 * {@code interpret}.
 */
package io.github.fastdl4j.collab.interpret;

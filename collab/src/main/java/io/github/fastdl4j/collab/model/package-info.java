/**
 * The collab models, each owning its create, save and restore: from scratch ({@code
 * DotProductBias}, {@code CollabNN}, {@code Bpr}, as common {@code Module}s) and from DL4J's
 * layers ({@code EmbeddingDotBias}, {@code EmbeddingNN}, {@code HybridCollab}); {@code CollabKind}
 * names them, {@code CollabModel} holds any of them with its vocabularies.
 *
 * <p>Imported by the other collab packages and collab-spark. The only collab package that builds
 * DL4J graphs.
 */
package io.github.fastdl4j.collab.model;

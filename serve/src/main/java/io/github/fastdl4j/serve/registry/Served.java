package io.github.fastdl4j.serve.registry;

/**
 * A loaded model as the server answers with it. Immutable once published: a reload publishes a
 * new one, and requests holding the old one finish on it.
 */
public interface Served {

    /** collab, tabular or vision. */
    String module();

    /** The model's kind within its module (dot, nn, simple-cnn, classifier, ...). */
    String kind();

    /** Called when a newer model replaced this one (after requests already holding it may still run). */
    default void retire() {
    }
}

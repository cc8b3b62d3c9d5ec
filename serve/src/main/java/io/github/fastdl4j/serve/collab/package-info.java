/**
 * A collab model served: recommendations, fold-in of new users, similar movies, predictions, and
 * feedback ({@code FeedbackLog}: appended, forced to disk before the answer, folded into the
 * user's factors, read back after a restart).
 *
 * <p>Imported by {@code serve.registry} and {@code serve.http}. Builds on collab's model and
 * interpret packages.
 */
package io.github.fastdl4j.serve.collab;

/**
 * A vision model served: a picture's header checked before it is decoded, and concurrent requests
 * batched into one forward pass ({@code Batcher}: a maximum batch and a maximum wait).
 *
 * <p>Imported by {@code serve.registry} and {@code serve.http}.
 */
package io.github.fastdl4j.serve.vision;

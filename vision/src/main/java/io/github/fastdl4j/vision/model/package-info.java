/**
 * The architectures ({@code Arch}: classic, stride2, concat, simple-cnn, wide-cnn), how they run
 * ({@code Build}: DL4J's graph, with oneDNN helpers, or FastNet), the input spec (channels, size,
 * classes, normalisation) and {@code VisionModel}, which saves and restores either kind.
 *
 * <p>Imported by the other vision packages. Builds the DL4J graphs.
 */
package io.github.fastdl4j.vision.model;

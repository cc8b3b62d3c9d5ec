/**
 * The lesson's convolution explained: {@code Im2Col} (unfold the patches, one matrix product) and
 * the pictures of {@code vision explain}.
 *
 * <p>Imported by {@code vision.cli} and {@code vision.interpret}; the teaching path, not the
 * training path.
 */
package io.github.fastdl4j.vision.explain;

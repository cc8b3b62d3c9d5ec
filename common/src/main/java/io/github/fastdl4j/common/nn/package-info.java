/**
 * Sizing rules shared by the models: fastai's embedding size rule ({@code EmbeddingSizes}).
 *
 * <p>Imported by the modules' {@code model} packages. Imports nothing of fastdl4j.
 */
package io.github.fastdl4j.common.nn;

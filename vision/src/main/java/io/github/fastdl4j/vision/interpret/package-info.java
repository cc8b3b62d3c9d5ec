/**
 * fastai's {@code ClassificationInterpretation}: confusion matrix, most confused pairs, top losses.
 *
 * <p>Imported by {@code vision.cli}.
 */
package io.github.fastdl4j.vision.interpret;

/**
 * Images: MNIST from IDX files and the committed sample ({@code Mnist}), any folder of images
 * through DataVec ({@code ImageFolder}, {@code ImageFiles}), {@code ImageData} (what a learner
 * trains on), MNIST exported as PNGs, and the {@code --shift} augmentation.
 *
 * <p>Imported by the other vision packages. Imports {@code common.data} and {@code vision.model}
 * (the input spec).
 */
package io.github.fastdl4j.vision.data;

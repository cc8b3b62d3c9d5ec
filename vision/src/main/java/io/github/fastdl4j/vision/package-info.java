/**
 * {@code VisionLearner}: fastai's {@code cnn_learner} over MNIST or an image folder.
 *
 * <p>The entry point for library users; imported by {@code vision.cli}.
 */
package io.github.fastdl4j.vision;

/**
 * {@code CollabLearner}: fastai's {@code collab_learner} as a builder over the collab models and
 * common's {@code Learner}.
 *
 * <p>The entry point for library users; imported by {@code collab.cli}, {@code collab.evaluate}
 * and collab-spark's cli.
 */
package io.github.fastdl4j.collab;

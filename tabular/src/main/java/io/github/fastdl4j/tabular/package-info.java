/**
 * {@code TabularLearner}: fastai's {@code TabularPandas} + {@code tabular_learner} for any table,
 * and the Rossmann preset; {@code TabularLearnerBuilder} holds its options and builds it.
 *
 * <p>The entry point for library users; imported by {@code tabular.cli}.
 */
package io.github.fastdl4j.tabular;

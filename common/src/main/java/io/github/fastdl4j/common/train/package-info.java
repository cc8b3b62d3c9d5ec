/**
 * The training loop and what it needs: {@code Trainable} (the seam where DL4J networks and
 * from-scratch modules meet), {@code ModuleModel}, {@code Learner} (the loop: fit, fitOneCycle,
 * lrFind, validate, predict), its listeners ({@code OneCycle}, {@code Recorder}, {@code
 * ProgressTable}, {@code EarlyStopping}, {@code SaveModel}, {@code ReduceLROnPlateau} (these three
 * on {@code TrackerListener}), {@code Checkpoint}, {@code LrFinder}, {@code DivergenceStop}),
 * losses, metrics, the model zip ({@code ModelArchive}), {@code metrics.json} ({@code RunReport})
 * and provenance.
 *
 * <p>Imported by every module. Imports {@code common.module}, {@code common.data}, {@code
 * common.io}; never {@code common.dl4j} or a DL4J network class.
 */
package io.github.fastdl4j.common.train;

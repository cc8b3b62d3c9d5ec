package io.github.fastdl4j.common.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What listeners see and steer during a fit: position in training, and the hyper-parameters of
 * the next step (schedules write {@link #lr} and {@link #beta1} in {@code onBatchStart}).
 */
public final class TrainingState {

    final int epochs;
    final int batchesPerEpoch;
    int epoch;
    int batchInEpoch;
    int iteration;
    double lr;
    double wd;
    double beta1 = 0.9;
    double batchLoss = Double.NaN;
    boolean stopRequested;
    String stopReason;
    // the fit so far (for checkpoints and listeners that look back)
    final List<EpochResult> rows = new ArrayList<>();
    Recorder recorder;
    long samples;
    long trainNanos;
    int keptEpoch = -1;
    final List<String> notes = new ArrayList<>();

    TrainingState(int epochs, int batchesPerEpoch, double lr, double wd) {
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.lr = lr;
        this.wd = wd;
    }

    public int epochs() {
        return epochs;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Current epoch, 0-based. */
    public int epoch() {
        return epoch;
    }

    public int batchInEpoch() {
        return batchInEpoch;
    }

    /** Steps taken so far in this fit. */
    public int iteration() {
        return iteration;
    }

    /** Total steps of this fit. */
    public int totalIterations() {
        return epochs * batchesPerEpoch;
    }

    /** Fraction of training done, 0 at the first step; at most 1 when the data gives more batches than it declared. */
    public double progress() {
        return Math.min(1.0, (double) iteration / totalIterations());
    }

    public double lr() {
        return lr;
    }

    public void lr(double lr) {
        this.lr = lr;
    }

    public double wd() {
        return wd;
    }

    public double beta1() {
        return beta1;
    }

    public void beta1(double beta1) {
        this.beta1 = beta1;
    }

    /** Loss of the step just taken (valid in {@code onBatchEnd}). */
    public double batchLoss() {
        return batchLoss;
    }

    /** Ends the fit after this step (the current epoch is not validated). */
    public void requestStop(String reason) {
        stopRequested = true;
        stopReason = reason;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /** Why the fit was stopped, or null. */
    public String stopReason() {
        return stopReason;
    }

    /** The rows of the epochs done so far (a resumed fit starts with the earlier ones). */
    public List<EpochResult> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The last epoch done, or -1. */
    public int lastEpoch() {
        return rows.isEmpty() ? -1 : rows.get(rows.size() - 1).epoch();
    }

    /** Says that the model now holds the weights of {@code epoch} (e.g. the best one), with a note. */
    public void keep(int epoch, String note) {
        keptEpoch = epoch;
        note(note);
    }

    /** A line for the user (printed after the table unless the learner is quiet). */
    public void note(String line) {
        notes.add(line);
    }

    /** Where the fit stands, for a checkpoint. */
    public FitState fitState() {
        return new FitState(rows.size(), iteration, List.copyOf(rows), recorder.losses(), recorder.lrs(), samples,
                trainNanos / 1e9, recorder.average(), recorder.count());
    }
}

package io.github.fastdl4j.common.train;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.module.AdamW;
import io.github.fastdl4j.common.module.Loss;
import io.github.fastdl4j.common.module.Module;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fastai's {@code Learner} for DL4J networks and from-scratch {@link Module}s alike: a model,
 * training and validation batches, a loss, metrics and listeners. {@link #fitOneCycle} is the
 * one-liner; {@link #fit(int, double, Listener)} is the explicit API it sits on.
 *
 * <pre>{@code
 * Learner learn = Learner.of(new DotProductBias(...), data, Losses.mse(), Metrics.mse());
 * learn.fitOneCycle(5, 5e-3, 0.1);
 * }</pre>
 */
public final class Learner {

    private static final Logger LOG = LoggerFactory.getLogger(Learner.class);

    private final Trainable model;
    private final DataLoaders data;
    private final Loss loss;
    private final List<Metric> metrics;
    private final List<Listener> listeners = new ArrayList<>();
    private boolean quiet;
    private FitState resumeFrom;
    private int countedBatches = -1;

    public Learner(Trainable model, DataLoaders data, Loss loss, List<Metric> metrics) {
        this.model = model;
        this.data = data;
        this.loss = loss;
        this.metrics = List.copyOf(metrics);
    }

    /** A learner over a from-scratch module, trained with AdamW on {@code loss}. */
    public static Learner of(Module module, DataLoaders data, Loss loss, Metric... metrics) {
        return new Learner(new ModuleModel(module, loss, AdamW.factory()), data, loss, List.of(metrics));
    }

    /**
     * A learner over any {@link Trainable}: a DL4J network is
     * {@code Learner.of(new NetworkModel(net), data, loss, metrics)} (configured with Adam,
     * initialised; its output layer's loss trains it, {@code loss} is what we report on validation
     * predictions).
     */
    public static Learner of(Trainable model, DataLoaders data, Loss loss, Metric... metrics) {
        return new Learner(model, data, loss, List.of(metrics));
    }

    /** Adds a listener to every later fit. */
    public Learner addListener(Listener l) {
        listeners.add(l);
        return this;
    }

    /** Without the table on stdout (tests, benchmarks). */
    public Learner quiet(boolean quiet) {
        this.quiet = quiet;
        return this;
    }

    public Trainable model() {
        return model;
    }

    public DataLoaders data() {
        return data;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** {@code epochs} epochs at a constant learning rate, no weight decay. */
    public FitResult fit(int epochs, double lr) {
        return fit(epochs, lr, 0.0);
    }

    /** {@code epochs} epochs at a constant learning rate with decoupled weight decay. */
    public FitResult fit(int epochs, double lr, double wd) {
        return fit(epochs, wd, new Listener() {
            @Override
            public void onBatchStart(TrainingState s) {
                s.lr(lr);
            }
        });
    }

    /** fastai's {@code fit_one_cycle(epochs, lr_max, wd=wd)}; see {@link OneCycle}. */
    public FitResult fitOneCycle(int epochs, double lrMax, double wd) {
        return fit(epochs, wd, new OneCycle(lrMax));
    }

    /**
     * Continues a checkpointed fit (see {@link Checkpoint}): the next {@code fit} of the same
     * length starts at the epoch after the checkpoint's, with its recorded history, after the model
     * has read the checkpoint's weights and optimiser state ({@link ModelArchive#resumeInto}).
     */
    public Learner resumeFrom(FitState state) {
        this.resumeFrom = state;
        return this;
    }

    /**
     * The training loop: for each epoch, one step per training batch (the schedule sets the
     * hyper-parameters of each step), then loss and metrics on the whole validation set.
     * Everything else is a listener (recorder, progress table, NaN stop, and those added with
     * {@link #addListener}: early stopping, keeping the best epoch, checkpoints, ...).
     *
     * @throws TrainingDivergedException when a step's loss is NaN or infinite
     */
    public FitResult fit(int epochs, double wd, Listener schedule) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        FitState resume = resumeFrom;
        resumeFrom = null;
        if (resume != null && resume.epochsDone() >= epochs) {
            throw new IllegalArgumentException("the checkpoint has " + resume.epochsDone() + " epochs done, the fit has "
                    + epochs + ": nothing to resume");
        }
        if (batchCount() == 0) {
            throw new IllegalArgumentException("no training data: the training set is empty");
        }
        Recorder recorder = new Recorder();
        List<Listener> all = new ArrayList<>();
        all.add(schedule);
        all.add(recorder);
        all.add(new DivergenceStop());
        if (!quiet) {
            all.add(new ProgressTable(metricNames()));
        }
        all.addAll(listeners);
        TrainingState s = new TrainingState(epochs, batchCount(), 0, wd);
        s.recorder = recorder;
        int first = 0;
        if (resume != null) {
            first = resume.epochsDone();
            s.iteration = resume.iteration();
            s.rows.addAll(resume.epochs());
            s.samples = resume.samples();
            s.trainNanos = (long) (resume.trainSeconds() * 1e9);
            recorder.restore(resume);
            for (int e = 0; e < first; e++) {
                data.train().reset(); // the shuffled order of the epochs already done
            }
        }
        loop(s, first, all, true);
        if (!quiet) {
            s.notes.forEach(System.out::println);
        }
        return new FitResult(List.copyOf(s.rows), recorder.losses(), recorder.lrs(), s.samples, s.trainNanos / 1e9,
                s.keptEpoch, s.stopReason);
    }

    /** Epochs {@code first..} of {@code s}, each validated when {@code validate}; listeners see every event. */
    private void loop(TrainingState s, int first, List<Listener> all, boolean validate) {
        all.forEach(l -> l.onFitStart(s));
        try {
            for (int e = first; e < s.epochs && !s.stopRequested; e++) {
                s.epoch = e;
                s.batchInEpoch = 0;
                long start = System.nanoTime();
                all.forEach(l -> l.onEpochStart(s));
                MultiDataSetIterator it = data.train();
                it.reset();
                while (it.hasNext() && !s.stopRequested) {
                    MultiDataSet batch = it.next();
                    all.forEach(l -> l.onBatchStart(s));
                    long t0 = System.nanoTime();
                    s.batchLoss = model.trainStep(batch, new Trainable.StepSettings(s.lr, s.wd, s.beta1, e));
                    s.trainNanos += System.nanoTime() - t0;
                    s.samples += batch.getFeatures(0).size(0);
                    all.forEach(l -> l.onBatchEnd(s));
                    s.iteration++;
                    s.batchInEpoch++;
                }
                if (s.stopRequested || !validate) {
                    break;
                }
                if (e == first && s.batchInEpoch != s.batchesPerEpoch) { // a count declared by hand, or data that changed
                    s.notes.add("note: the training data gave " + s.batchInEpoch + " batches in epoch " + (e + 1) + ", not the "
                            + s.batchesPerEpoch + " it declared: the schedule was laid out for " + s.batchesPerEpoch);
                }
                Validation v = validate();
                EpochResult row = new EpochResult(e, s.recorder.smoothLoss(), v.loss(), v.metrics(),
                        (System.nanoTime() - start) / 1e9);
                s.rows.add(row);
                all.forEach(l -> l.onEpochEnd(s, row));
            }
        } finally {
            all.forEach(l -> l.onFitEnd(s));
        }
    }

    /** fastai's {@code lr_find()}: rates from 1e-7 to 10 over 100 steps; the model is restored afterwards. */
    public LrFindResult lrFind() {
        return lrFind(1e-7, 10, 100);
    }

    /**
     * The learning-rate finder with explicit range and step count: the {@link LrFinder} listener
     * on the same loop as training (no validation), the weights and optimiser state put back after.
     */
    public LrFindResult lrFind(double start, double end, int numIt) {
        Trainable.Snapshot saved = model.snapshot();
        LrFinder finder = new LrFinder(start, end, numIt);
        int perEpoch = batchCount();
        int epochs = (numIt + perEpoch - 1) / perEpoch;
        TrainingState s = new TrainingState(epochs, perEpoch, start, 0);
        s.recorder = new Recorder();
        try {
            for (int e = 0; e < epochs && !s.stopRequested; e++) {
                // one loop call per pass over the data, none validated
                loop(s, e, List.of(finder, s.recorder), false);
                if (s.iteration < (e + 1) * perEpoch) {
                    break; // stopped inside the pass
                }
            }
        } finally {
            model.restore(saved);
        }
        return finder.result();
    }

    /**
     * fastai's {@code learn.summary()}: layers or parameters with their shapes and counts, for a
     * batch of the training batch size (fastai shows the shapes a training step sees). Its rows
     * are validation rows (the training loader is left alone: resetting it would reshuffle),
     * repeated where the validation set is smaller than a training batch.
     */
    public ModelSummary summary() {
        MultiDataSetIterator it = data.valid();
        it.reset();
        INDArray[] sample;
        if (data.train() instanceof ArrayDataLoader train && it instanceof ArrayDataLoader valid) {
            int bs = Math.min(train.batchSize(), train.size());
            sample = valid.next(Math.min(bs, valid.size())).getFeatures();
            for (int i = 0; i < sample.length; i++) {
                sample[i] = rows(sample[i], bs);
            }
        } else {
            sample = it.next().getFeatures();
        }
        it.reset();
        return model.summary(sample);
    }

    /** The first {@code n} rows of {@code x}, its rows repeated in turn where it has fewer. */
    private static INDArray rows(INDArray x, int n) {
        long have = x.size(0);
        if (have == n) {
            return x;
        }
        long[] pick = new long[n];
        for (int i = 0; i < n; i++) {
            pick[i] = i % have;
        }
        INDArrayIndex[] at = new INDArrayIndex[x.rank()];
        at[0] = new SpecifiedIndex(pick);
        for (int d = 1; d < at.length; d++) {
            at[d] = NDArrayIndex.all();
        }
        return x.get(at).dup();
    }

    /** Loss and metrics on the validation set. */
    public Validation validate() {
        return validate(data.valid());
    }

    /** Loss and metrics on any batches with labels. */
    public Validation validate(MultiDataSetIterator batches) {
        INDArray[] pt = predictWithTargets(batches);
        Map<String, Double> values = new LinkedHashMap<>();
        for (Metric m : metrics) {
            values.put(m.name(), m.compute(pt[0], pt[1]));
        }
        return new Validation(loss.value(pt[0], pt[1]), values);
    }

    /** Predictions and targets (first label array) for all batches, in order. */
    public INDArray[] predictWithTargets(MultiDataSetIterator batches) {
        List<INDArray> preds = new ArrayList<>();
        List<INDArray> targets = new ArrayList<>();
        batches.reset();
        while (batches.hasNext()) {
            MultiDataSet b = batches.next();
            preds.add(model.predict(b.getFeatures()));
            targets.add(b.getLabels(0));
        }
        if (preds.isEmpty()) {
            throw new IllegalArgumentException("no validation data: the validation set is empty");
        }
        return new INDArray[]{concat(preds), concat(targets)};
    }

    /** Predictions for one batch of inputs. */
    public INDArray predict(INDArray... features) {
        return model.predict(features);
    }

    /**
     * Saves the model and job metadata as one zip (see {@link ModelArchive}); {@code metadata}
     * entries (vocabularies, normalisation, config, provenance) are written as JSON.
     */
    public void save(Path file, Map<String, ?> metadata) throws IOException {
        ModelArchive.write(file, model, metadata);
    }

    private List<String> metricNames() {
        return metrics.stream().map(Metric::name).toList();
    }

    private static INDArray concat(List<INDArray> parts) {
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /**
     * The loaders' own count (or the one their owner declared); a user's iterator that knows
     * neither is read once per {@code Learner} to count, since one-cycle needs the total number
     * of steps before the first one (PyTorch's loaders have a {@code len}, DL4J's iterators need not).
     */
    private int batchCount() {
        if (data.trainBatches() >= 0) {
            return data.trainBatches();
        }
        if (countedBatches < 0) {
            LOG.info("counting the training batches once (DataLoaders.of(train, valid, batchesPerEpoch) skips this pass)");
            MultiDataSetIterator it = data.train();
            int n = 0;
            it.reset();
            while (it.hasNext()) {
                it.next();
                n++;
            }
            it.reset();
            countedBatches = n;
        }
        return countedBatches;
    }
}

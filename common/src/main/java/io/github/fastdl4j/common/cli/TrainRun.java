package io.github.fastdl4j.common.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.Checkpoint;
import io.github.fastdl4j.common.train.EarlyStopping;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.FitState;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.train.ReduceLROnPlateau;
import io.github.fastdl4j.common.train.RunReport;
import io.github.fastdl4j.common.train.SaveModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The recipe every train command follows, once: check the output folder (before any data is
 * read), print the backend line, then, after the module has loaded its data and trained, write
 * the model with its provenance, {@code metrics.json} and the charts into the run folder, move it
 * into place as a unit and print the summary line. Each module supplies only what differs: the
 * data, the learner, its extra numbers and charts.
 *
 * <pre>{@code
 * try (TrainRun run = TrainRun.start("collab", "dot", spec, common)) {
 *     Ratings r = ...;                       // load
 *     FitResult fit = ...;                   // train
 *     run.finish(model::save, r.checksum(), run.report(fit, extra), charts, "valid mse 0.8148");
 * }
 * }</pre>
 */
public final class TrainRun implements AutoCloseable {

    /** Options that say where and how to run, not what was trained: left out of the config. */
    private static final Set<String> NOT_CONFIG = Set.of("help", "version", "verbose", "out");

    /** Writes a model file with its provenance (e.g. {@code CollabModel::save}). */
    @FunctionalInterface
    public interface ModelSaver {
        void save(Path file, Provenance provenance) throws IOException;
    }

    /** Writes charts into a folder. */
    @FunctionalInterface
    public interface ChartWriter {
        void write(Path dir) throws IOException;
    }

    /** The checkpoint file in a run folder. */
    public static final String CHECKPOINT = "checkpoint.zip";
    /** What a train command writes into its run folder (interpret/: what the interpret commands write beside it by default). */
    public static final Set<String> WRITES = Set.of("model.zip", "metrics.json", "charts", "summary.txt", CHECKPOINT, "interpret");
    /** Options that steer the run but not what it computes: a resumed run may change them. */
    private static final Set<String> RUN_CONTROL = Set.of("resume", "checkpoint", "summary", "data_dir", "early_stop",
            "save_best", "reduce_lr");

    private final String job;
    private final String model;
    private final BackendInfo backend;
    private final RunFolder folder;
    private final Map<String, Object> config;
    private final long seed;
    private final TrainingOptions training;

    private TrainRun(String job, String model, BackendInfo backend, RunFolder folder, Map<String, Object> config, long seed,
                     TrainingOptions training) {
        this.job = job;
        this.model = model;
        this.backend = backend;
        this.folder = folder;
        this.config = config;
        this.seed = seed;
        this.training = training;
    }

    /**
     * Starts a run: the output folder ({@code --out}, or {@code runs/<job>-<model>-<time>}) is
     * checked and locked before anything else happens (a bad one is a usage error, exit code 2),
     * then the backend line is printed.
     */
    public static TrainRun start(String job, String model, CommandSpec spec, CommonOptions common) {
        return start(job, model, spec, common, new TrainingOptions());
    }

    /**
     * As {@link #start(String, String, CommandSpec, CommonOptions)} with the training options
     * ({@code --early-stop}, {@code --save-best}, {@code --checkpoint}, {@code --resume}, ...);
     * {@code --resume} needs the {@code --out} of a killed run that wrote a checkpoint.
     */
    public static TrainRun start(String job, String model, CommandSpec spec, CommonOptions common, TrainingOptions training) {
        // a run folder is replaced as a whole: it must not hold what the run reads
        Outputs.checkFolder(spec, "--out", common.out);
        if (training.resume && common.out == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--resume continues the run of --out: give the --out of the killed run");
        }
        RunFolder folder = training.resume ? RunFolder.resume(common.out, CHECKPOINT, spec.qualifiedName(" "), WRITES)
                : common.out != null ? RunFolder.open(common.out, spec.qualifiedName(" "), WRITES)
                : RunFolder.openNew(common.outDir(job + "-" + model), spec.qualifiedName(" "), WRITES);
        BackendInfo backend = BackendInfo.current();
        System.out.println(backend.line());
        return new TrainRun(job, model, backend, folder, config(spec), common.seed, training);
    }

    /**
     * Readies a learner for this run, after the data is loaded: the summary (with
     * {@code --summary}), the listeners the training options ask for, and, with {@code --resume},
     * the weights, optimiser state and progress of the checkpoint (refused if the options or the
     * data differ from the killed run's).
     */
    public void attach(Learner learn, String dataChecksum) throws IOException {
        if (training.earlyStop != null) {
            learn.addListener(new EarlyStopping(training.earlyStop));
        }
        if (training.reduceLr != null) {
            learn.addListener(new ReduceLROnPlateau(training.reduceLr));
        }
        if (training.saveBest) {
            learn.addListener(new SaveModel(learn.model()));
        }
        FitState resumed = null;
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("config", comparable(config));
        identity.put("data_checksum", dataChecksum);
        if (training.resume) {
            ModelArchive a = ModelArchive.open(folder.resolve(CHECKPOINT));
            // compared as parsed JSON on both sides (a long 42 and an int 42 are the same option)
            JsonNode saved = a.json("config");
            JsonNode now = ModelArchive.JSON.readTree(
                    ModelArchive.JSON.writeValueAsString(identity.get("config")));
            if (!now.equals(saved)) {
                throw new BadInputException(folder.resolve(CHECKPOINT) + ": the killed run had other options ("
                        + RunReport.jsonLine(ModelArchive.JSON.convertValue(saved, Map.class)) + "); resume with the same ones");
            }
            if (!dataChecksum.equals(a.json("data_checksum").asText())) {
                throw new BadInputException(folder.resolve(CHECKPOINT) + ": the killed run read other data (SHA-256 "
                        + a.json("data_checksum").asText() + ", now " + dataChecksum + ")");
            }
            FitState state = a.resumeInto(learn.model(), Set.of("config", "data_checksum"));
            resumed = state;
        }
        // written once the resume is accepted: a refused one changes nothing on disk
        if (training.summary) {
            String table = learn.summary().table();
            System.out.println(table);
            AtomicFiles.writeString(folder.resolve("summary.txt"), table + System.lineSeparator());
        }
        if (resumed != null) {
            FitState state = resumed;
            learn.resumeFrom(state);
            System.out.printf(Locale.ROOT, "resuming %s after epoch %d of a killed run%n", folder.target(),
                    state.epochsDone() - 1);
        }
        if (training.checkpoint || training.resume) {
            learn.addListener(new Checkpoint(learn.model(), folder.resolve(CHECKPOINT), identity));
        }
    }

    private static Map<String, Object> comparable(Map<String, Object> config) {
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.keySet().removeAll(RUN_CONTROL);
        return c;
    }

    /**
     * The run's configuration, for provenance and metrics.json: every option of the command that
     * has a value as parsed (flags, then config file defaults, then built-in defaults), by its long
     * name without dashes; an option left unset is absent. Modules record the values they resolved
     * (a batch size sized to the data) and leave out options that do not apply to the run.
     */
    public static Map<String, Object> config(CommandSpec spec) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String name = o.longestName().replaceFirst("^-+", "");
            if (o.usageHelp() || o.versionHelp() || NOT_CONFIG.contains(name)) {
                continue;
            }
            if (o.getValue() == null) {
                continue; // left unset, with no default: not a setting this run used (metrics.json records only those)
            }
            c.put(name.replace('-', '_'), plain(o.getValue()));
        }
        return c;
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof int[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        if (v instanceof double[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(TrainRun::plain).toList();
        }
        return v.toString(); // paths, enums by their command-line names
    }

    public BackendInfo backend() {
        return backend;
    }

    /** The configuration (mutable: add derived values such as a resolved build before finishing). */
    public Map<String, Object> config() {
        return config;
    }

    /** The folder being written (a hidden partial folder until {@link #finish}). */
    public Path dir() {
        return folder.dir();
    }

    /** metrics.json of a fit: per-epoch rows, final validation numbers and {@code extraFinal}. */
    public Map<String, Object> report(FitResult fit, Map<String, ?> extraFinal) {
        return RunReport.of(job, model, config, fit, extraFinal);
    }

    /** metrics.json of a run without epochs (e.g. Spark's ALS): its final numbers only. */
    public Map<String, Object> report(Map<String, ?> finalValues) {
        return RunReport.of(job, model, config, finalValues);
    }

    /**
     * Writes {@code model.zip} (with provenance: config, seed, data checksum, backend),
     * {@code metrics.json} and {@code charts/}, moves the run folder into place and prints
     * {@code summary; wrote DIR}.
     *
     * @return the finished run folder
     */
    public Path finish(ModelSaver saver, String dataChecksum, Map<String, Object> report, ChartWriter charts,
                       String summary) throws IOException {
        return finish(saver, dataChecksum, "", report, charts, summary);
    }

    /** As {@link #finish(ModelSaver, String, Map, ChartWriter, String)}, with more to say in the provenance's backend. */
    public Path finish(ModelSaver saver, String dataChecksum, String backendExtra, Map<String, Object> report,
                       ChartWriter charts, String summary) throws IOException {
        saver.save(folder.resolve("model.zip"),
                Provenance.of(job, model, config, seed, dataChecksum, backend.line() + backendExtra));
        RunReport.write(folder.resolve("metrics.json"), report);
        if (charts != null) {
            charts.write(folder.resolve("charts"));
        }
        Files.deleteIfExists(folder.resolve(CHECKPOINT)); // the model is saved: nothing to resume
        folder.commit();
        System.out.printf(Locale.ROOT, "%s; wrote %s%n", summary, folder.target());
        return folder.target();
    }

    /** A run that did not finish leaves no folder behind. */
    @Override
    public void close() {
        folder.close();
    }
}

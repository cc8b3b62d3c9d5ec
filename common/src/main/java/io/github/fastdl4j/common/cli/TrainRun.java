package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.Provenance;
import io.github.fastdl4j.common.train.RunReport;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
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

    private final String job;
    private final String model;
    private final BackendInfo backend;
    private final RunFolder folder;
    private final Map<String, Object> config;
    private final long seed;

    private TrainRun(String job, String model, BackendInfo backend, RunFolder folder, Map<String, Object> config, long seed) {
        this.job = job;
        this.model = model;
        this.backend = backend;
        this.folder = folder;
        this.config = config;
        this.seed = seed;
    }

    /**
     * Starts a run: the output folder ({@code --out}, or {@code runs/<job>-<model>-<time>}) is
     * checked and locked before anything else happens (a bad one is a usage error, exit code 2),
     * then the backend line is printed.
     */
    public static TrainRun start(String job, String model, CommandSpec spec, CommonOptions common) {
        RunFolder folder = RunFolder.open(common.outDir(job + "-" + model));
        BackendInfo backend = BackendInfo.current();
        System.out.println(backend.line());
        return new TrainRun(job, model, backend, folder, config(spec), common.seed);
    }

    /**
     * The run's configuration, for provenance and metrics.json: every option of the command as
     * parsed (flags, then config file defaults, then built-in defaults), by its long name without
     * dashes; modules may add derived values.
     */
    public static Map<String, Object> config(CommandSpec spec) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            String name = o.longestName().replaceFirst("^-+", "");
            if (o.usageHelp() || o.versionHelp() || NOT_CONFIG.contains(name)) {
                continue;
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

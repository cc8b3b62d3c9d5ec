package io.github.fastdl4j.common.train;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.fastdl4j.common.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code metrics.json} of a run:
 * {@code {"job","model","config":{...},"epochs":[{"epoch","train_loss","valid_loss","metrics":{...},"seconds"}],
 * "final":{"valid_loss",...metrics}}}.
 */
public final class RunReport {

    private RunReport() {
    }

    /** The report as a JSON-ready map; {@code extraFinal} adds job-specific final values. */
    public static Map<String, Object> of(String job, String model, Map<String, ?> config, FitResult fit,
                                         Map<String, ?> extraFinal) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("job", job);
        root.put("model", model);
        root.put("config", config);
        List<Map<String, Object>> epochs = fit.epochs().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", r.epoch());
            m.put("train_loss", r.trainLoss());
            m.put("valid_loss", r.validLoss());
            m.put("metrics", r.metrics());
            m.put("seconds", r.seconds());
            return m;
        }).toList();
        root.put("epochs", epochs);
        Map<String, Object> fin = new LinkedHashMap<>();
        // the numbers of the weights that were saved: the best epoch's when SaveModel kept it
        fin.put("valid_loss", fit.kept().validLoss());
        fin.putAll(fit.kept().metrics());
        fin.put("epoch", fit.kept().epoch());
        if (fit.stopReason() != null) {
            fin.put("stopped", fit.stopReason());
        }
        fin.put("samples_per_sec", fit.samplesPerSecond());
        fin.putAll(extraFinal);
        root.put("final", fin);
        return root;
    }

    /**
     * The report of a run that is not an epoch loop (e.g. Spark's ALS): no per-epoch rows,
     * {@code finalValues} as its final numbers ({@code valid_loss} among them).
     */
    public static Map<String, Object> of(String job, String model, Map<String, ?> config, Map<String, ?> finalValues) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("job", job);
        root.put("model", model);
        root.put("config", config);
        root.put("epochs", List.of());
        root.put("final", new LinkedHashMap<>(finalValues));
        return root;
    }

    /** A map as one line of JSON (a benchmark's output line). */
    public static String jsonLine(Map<String, ?> values) throws IOException {
        return ModelArchive.JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(values);
    }

    /** Writes a report atomically. */
    public static void write(Path file, Map<String, Object> report) throws IOException {
        AtomicFiles.writeString(file, ModelArchive.JSON.writeValueAsString(report));
    }
}

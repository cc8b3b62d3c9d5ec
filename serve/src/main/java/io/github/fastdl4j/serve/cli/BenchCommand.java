package io.github.fastdl4j.serve.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.RunReport;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.bench.Wrk;
import io.github.fastdl4j.serve.collab.CollabServed;
import io.github.fastdl4j.serve.http.ServeApp;
import io.github.fastdl4j.serve.registry.ModelRegistry;
import io.github.fastdl4j.serve.tabular.TabularServed;
import io.github.fastdl4j.serve.vision.VisionServed;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.Mnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./fastdl4j serve bench --runs DIR}: the server and the {@code wrk} load generator on
 * 127.0.0.1 for a bounded time, one JSON line per endpoint (requests/s, p50 and p99 latency,
 * errors, the ratio to the same server's /health, the server's peak resident memory), with one model
 * of each module found under --runs; tabular and vision once with dynamic batching and once without.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Load the server with wrk on 127.0.0.1: one JSON line per endpoint (health, collab recommend, tabular and "
                + "vision predict with and without batching).")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "DIR", required = true, description = "A folder of run folders (one model of each module is used).")
    Path runs;
    @Option(names = "--seconds", converter = Checks.PositiveInt.class, description = "Seconds per endpoint (default: ${DEFAULT-VALUE}).")
    int seconds = 10;
    @Option(names = "--connections", converter = Checks.PositiveInt.class, description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections = 16;
    @Option(names = "--threads", converter = Checks.PositiveInt.class, description = "wrk threads (default: ${DEFAULT-VALUE}).")
    int threads = 2;
    @Option(names = "--max-batch", converter = Checks.PositiveInt.class, description = "Batch cap when batching (default: ${DEFAULT-VALUE}).")
    int maxBatch = 32;
    @Option(names = "--max-wait-ms", converter = Checks.NonNegativeInt.class, description = "Batch wait (default: ${DEFAULT-VALUE}).")
    int maxWaitMs = 2;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(runs)) {
            throw new ParameterException(spec.commandLine(), "--runs: " + runs + ": not a folder");
        }
        if (!Wrk.available()) {
            throw new ParameterException(spec.commandLine(), "wrk is not installed (apt-get install wrk)");
        }
        System.err.println(BackendInfo.current().line());
        Path scratch = Files.createTempDirectory("fastdl4j-serve-bench");
        Map<String, Wrk.Result> results = new LinkedHashMap<>();
        Path feedback = scratch.resolve("feedback");
        try (ServeApp app = ServeApp.start(config(feedback, maxBatch))) {
            String base = "http://127.0.0.1:" + app.port();
            List<String[]> targets = new ArrayList<>(); // name, path, type, body file
            targets.add(new String[]{"health", "/health", null, null});
            for (ModelRegistry.Entry e : app.registry().all()) {
                String id = e.id();
                if (e.served() instanceof CollabServed c && targets.stream().noneMatch(t -> t[0].startsWith("collab"))) {
                    targets.add(new String[]{"collab_recommend", "/api/models/" + id + "/recommend?k=10&user=" + c.model().users().id(1), null, null});
                } else if (e.served() instanceof TabularServed t && targets.stream().noneMatch(x -> x[0].startsWith("tabular"))) {
                    Path body = scratch.resolve("row.json");
                    Files.writeString(body, row(t), StandardCharsets.UTF_8);
                    targets.add(new String[]{"tabular_predict", "/api/models/" + id + "/predict", "application/json", body.toString()});
                } else if (e.served() instanceof VisionServed v && targets.stream().noneMatch(x -> x[0].startsWith("vision"))) {
                    Path body = scratch.resolve("image.png");
                    ImageIO.write(image(v), "png", body.toFile());
                    targets.add(new String[]{"vision_predict", "/api/models/" + id + "/predict", "image/png", body.toString()});
                }
            }
            for (String[] t : targets) {
                results.put(t[0], measure(base, t, scratch));
            }
        }
        if (results.containsKey("vision_predict") || results.containsKey("tabular_predict")) {
            // the same server without batching: every image (every request's rows) its own forward pass
            try (ServeApp app = ServeApp.start(config(feedback, 1))) {
                String base = "http://127.0.0.1:" + app.port();
                for (ModelRegistry.Entry e : app.registry().all()) {
                    if (e.served() instanceof VisionServed && results.containsKey("vision_predict")
                            && !results.containsKey("vision_predict_unbatched")) {
                        results.put("vision_predict_unbatched", measure(base, new String[]{"vision_predict_unbatched", "/api/models/"
                                + e.id() + "/predict", "image/png", scratch.resolve("image.png").toString()}, scratch));
                    } else if (e.served() instanceof TabularServed && results.containsKey("tabular_predict")
                            && !results.containsKey("tabular_predict_unbatched")) {
                        results.put("tabular_predict_unbatched", measure(base, new String[]{"tabular_predict_unbatched", "/api/models/"
                                + e.id() + "/predict", "application/json", scratch.resolve("row.json").toString()}, scratch));
                    }
                }
            }
        }
        double health = results.get("health").requestsPerSec();
        long peak = peakResidentKb();
        for (Map.Entry<String, Wrk.Result> r : results.entrySet()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("endpoint", r.getKey());
            line.put("requests_per_sec", Math.round(r.getValue().requestsPerSec()));
            line.put("p50_ms", Math.round(r.getValue().p50Ms() * 100) / 100.0);
            line.put("p99_ms", Math.round(r.getValue().p99Ms() * 100) / 100.0);
            line.put("requests", r.getValue().requests());
            line.put("errors", r.getValue().errors());
            line.put("ratio_to_health", Math.round(r.getValue().requestsPerSec() / health * 1000) / 1000.0);
            Wrk.Result unbatched = results.get(r.getKey() + "_unbatched");
            if (unbatched != null) {
                line.put("batching_gain", Math.round(r.getValue().requestsPerSec() / unbatched.requestsPerSec() * 100) / 100.0);
            }
            line.put("connections", connections);
            line.put("seconds", seconds);
            line.put("server_peak_rss_mb", peak / 1024);
            System.out.println(RunReport.jsonLine(line));
        }
        return 0;
    }

    private ServeConfig config(Path feedback, int batch) {
        return new ServeConfig(List.of(runs), List.of(), "127.0.0.1", 0, null, feedback, batch, batch == 1 ? 0 : maxWaitMs, 3_600_000,
                ServeConfig.Limits.defaults());
    }

    private Wrk.Result measure(String base, String[] t, Path scratch) throws IOException, InterruptedException {
        Wrk.run(base + t[1], 1, 2, 1, t[2], t[3] == null ? null : Path.of(t[3]), scratch); // warm up
        return Wrk.run(base + t[1], threads, connections, seconds, t[2], t[3] == null ? null : Path.of(t[3]), scratch);
    }

    /** One row of the model's raw columns: each category's first value, each number 1. */
    private static String row(TabularServed t) throws IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map<String, Object> f : t.fields()) {
            Object type = f.get("type");
            if ("category".equals(type)) {
                List<?> choices = (List<?>) f.get("choices");
                row.put((String) f.get("name"), choices.isEmpty() ? null : choices.get(0));
            } else if ("date".equals(type)) {
                row.put((String) f.get("name"), "2015-07-31");
            } else {
                row.put((String) f.get("name"), 1);
            }
        }
        return ModelArchive.JSON.writeValueAsString(Map.of("rows", List.of(row)));
    }

    /** An MNIST test digit for an MNIST model, else a grey picture of the model's size. */
    private static BufferedImage image(VisionServed v) {
        if (v.input().isMnist()) {
            return DigitImage.toImage(Mnist.sample().rawTestImage(0));
        }
        int s = v.input().size();
        BufferedImage img = new BufferedImage(s, s, v.input().channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                img.setRGB(x, y, ((x * 255 / s) << 16) | ((y * 255 / s) << 8) | 128);
            }
        }
        return img;
    }

    /** The process's peak resident memory (VmHWM), in kB; 0 where /proc is missing. */
    static long peakResidentKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}

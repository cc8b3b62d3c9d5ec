package io.github.fastdl4j.collab.spark.interpret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.interpret.Charts;
import io.github.fastdl4j.common.train.ModelArchive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Charts of {@code collab-spark bench} JSON lines gathered over several data sizes: seconds per
 * pass over the training ratings (an ALS iteration or a DotProductBias epoch) and validation MSE
 * next to the best possible, both against the number of ratings. One series per engine (and, for
 * DotProductBias, per optimiser mode and weight decay); the same series measured twice at one
 * size keeps the last.
 */
public final class ScalingChart {

    /** One bench measurement. */
    public record Point(String series, long ratings, double secondsPerPass, double ratingsPerSec, double validMse,
                        Double bestMse) {
    }

    private final List<Point> points;

    private ScalingChart(List<Point> points) {
        this.points = List.copyOf(points);
    }

    /** Reads bench output; lines that are not JSON objects (logs) are skipped, a broken object is an error. */
    public static ScalingChart read(List<Path> files) throws IOException {
        List<Point> points = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw BadInputException.notAFile(f, "file");
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw BadInputException.inFile(f, "cannot read ("
                        + BadInputException.reason(e) + ")");
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode n;
                try {
                    n = ModelArchive.JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw BadInputException.at(f, i + 1, "json", "not a JSON object: " + e.getOriginalMessage());
                }
                points.add(point(n, f, i + 1));
            }
        }
        if (points.isEmpty()) {
            throw new BadInputException("no bench lines in " + files);
        }
        return new ScalingChart(points);
    }

    private static Point point(JsonNode n, Path f, int line) {
        String engine = required(n, "engine", f, line).asText();
        String series = switch (engine) {
            case "als" -> "Spark ALS, " + n.path("master").asText("local") + " (per iteration)";
            // lines written before --adam and --wd existed were dense with wd 0.1
            case "dot" -> "DotProductBias, " + n.path("adam").asText("dense") + " AdamW, wd " + n.path("wd").asDouble(0.1)
                    + " (per epoch)";
            default -> throw BadInputException.at(f, line, "engine", "unknown engine '" + engine + "' (als, dot)");
        };
        JsonNode perPass = engine.equals("als") ? required(n, "seconds_per_iteration", f, line)
                : required(n, "seconds_per_epoch", f, line);
        JsonNode best = n.get("best_possible_mse");
        return new Point(series, required(n, "ratings", f, line).asLong(), perPass.asDouble(),
                required(n, "ratings_per_sec", f, line).asDouble(), required(n, "valid_mse", f, line).asDouble(),
                best == null ? null : best.asDouble());
    }

    private static JsonNode required(JsonNode n, String field, Path f, int line) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw BadInputException.at(f, line, field, "missing");
        }
        return v;
    }

    public List<Point> points() {
        return points;
    }

    /** Each series' points by number of ratings (the last measurement of a size wins). */
    public Map<String, List<Point>> series() {
        Map<String, TreeMap<Long, Point>> by = new LinkedHashMap<>();
        for (Point p : points) {
            by.computeIfAbsent(p.series(), k -> new TreeMap<>()).put(p.ratings(), p);
        }
        Map<String, List<Point>> out = new LinkedHashMap<>();
        by.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.reverseOrder()))
                .forEach(e -> out.put(e.getKey(), List.copyOf(e.getValue().values())));
        return out;
    }

    /** Writes scaling_seconds.png (log-log) and scaling_mse.png into {@code dir}; returns their paths. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, double[][]> seconds = new LinkedHashMap<>();
        Map<String, double[][]> mse = new LinkedHashMap<>();
        TreeMap<Long, Double> best = new TreeMap<>();
        for (Map.Entry<String, List<Point>> e : series().entrySet()) {
            List<Point> ps = e.getValue();
            double[] x = ps.stream().mapToDouble(p -> p.ratings() / 1e6).toArray();
            seconds.put(e.getKey(), new double[][]{x, ps.stream().mapToDouble(Point::secondsPerPass).toArray()});
            mse.put(e.getKey().replaceFirst(" \\(per .*\\)$", ""), new double[][]{x, ps.stream().mapToDouble(Point::validMse).toArray()});
            for (Point p : ps) {
                if (p.bestMse() != null) {
                    best.put(p.ratings(), p.bestMse());
                }
            }
        }
        if (!best.isEmpty()) {
            mse.put("best possible (noise of the generated data)", new double[][]{
                    best.keySet().stream().mapToDouble(r -> r / 1e6).toArray(),
                    best.values().stream().mapToDouble(Double::doubleValue).toArray()});
        }
        Path s = dir.resolve("scaling_seconds.png");
        Path m = dir.resolve("scaling_mse.png");
        Charts.lines(s, "Seconds per pass over the training ratings (this machine)", "ratings (millions)", "seconds",
                seconds, true, true, true);
        Charts.lines(m, "Validation MSE", "ratings (millions)", "MSE", mse, true, false, true);
        return List.of(s, m);
    }
}

package io.github.fastdl4j.serve.collab;

import io.github.fastdl4j.serve.cli.ServeMain;
import io.github.fastdl4j.serve.testing.Http;
import io.github.fastdl4j.serve.testing.TrainedRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feedback is never lost: clients send feedback concurrently to a server in its own JVM, which is
 * killed with SIGKILL mid-stream; every acknowledged feedback is in the log exactly once, no line
 * is torn, and the restarted server folds the log back in.
 */
class FeedbackDurabilityTest {

    @TempDir
    Path tmp;

    private record Server(Process process, int port) {
    }

    private Server start(Path runs, Path feedback) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Dorg.bytedeco.javacpp.maxbytes=512M", "-cp", System.getProperty("java.class.path"), ServeMain.class.getName(),
                "--runs", runs.toString(), "--feedback-dir", feedback.toString(), "--port", "0", "--reload-ms", "60000");
        pb.redirectError(tmp.resolve("server-" + System.nanoTime() + ".err").toFile());
        Process p = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                Pattern serving = Pattern.compile("serving .* on http://127\\.0\\.0\\.1:(\\d+)/");
                for (String line; (line = in.readLine()) != null; ) {
                    Matcher m = serving.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the server ended without serving"));
        });
        reader.setDaemon(true);
        reader.start();
        return new Server(p, port.get(90, TimeUnit.SECONDS));
    }

    @Test
    void acknowledgedFeedbackSurvivesKillMinus9ExactlyOnce() throws Exception {
        Path runs = tmp.resolve("runs");
        TrainedRuns.copyTree(TrainedRuns.runs().resolve(TrainedRuns.COLLAB), runs.resolve(TrainedRuns.COLLAB));
        Path feedback = tmp.resolve("feedback");
        Server s = start(runs, feedback);
        String route = "/api/models/" + TrainedRuns.COLLAB + "/feedback";
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            final int client = t;
            Thread th = new Thread(() -> {
                Http http = new Http(s.port());
                for (int i = 0; !stop.get(); i++) {
                    long ts = client * 1_000_000L + i; // the feedback's identity
                    try {
                        Http.Res r = http.postJson(route, "{\"user\": \"c" + client + "\", \"movie_id\": " + (1 + i % 40)
                                + ", \"rating\": " + (1 + i % 5) + ", \"timestamp\": " + ts + "}");
                        if (r.status() == 201) {
                            acked.add(ts);
                        } else {
                            throw new AssertionError(r.status() + " " + r.text());
                        }
                    } catch (RuntimeException e) {
                        return; // the server is gone
                    }
                }
            });
            clients.add(th);
            th.start();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acked.size() < 300 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        s.process().destroyForcibly(); // SIGKILL, mid-stream
        assertTrue(s.process().waitFor(30, TimeUnit.SECONDS));
        stop.set(true);
        for (Thread th : clients) {
            th.join(30_000);
        }
        assertTrue(acked.size() >= 300, "acknowledged before the kill: " + acked.size());

        List<String> lines = Files.readAllLines(feedback.resolve(TrainedRuns.COLLAB + ".csv"), StandardCharsets.UTF_8);
        assertEquals("userId,movieId,rating,timestamp", lines.get(0));
        Pattern line = Pattern.compile("c(\\d),(\\d+),(\\d),(\\d+)");
        Map<Long, Integer> times = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), "a torn or foreign line: '" + l + "'");
            long ts = Long.parseLong(m.group(4));
            int i = (int) (ts % 1_000_000);
            assertEquals("c" + ts / 1_000_000 + "," + (1 + i % 40) + "," + (1 + i % 5) + "," + ts, l, "the line as sent");
            times.merge(ts, 1, Integer::sum);
        }
        for (long ts : acked) {
            assertEquals(1, times.getOrDefault(ts, 0), "acknowledged feedback " + ts + " is in the log exactly once");
        }
        assertTrue(times.values().stream().allMatch(n -> n == 1), "no line twice");

        // restarted: the log is folded back in, so the clients (new users) are known
        Server again = start(runs, feedback);
        try {
            Http http = new Http(again.port());
            assertEquals(422, http.get("/api/models/" + TrainedRuns.COLLAB + "/recommend?user=c9").status(), "a user nobody sent");
            assertEquals(200, http.get("/api/models/" + TrainedRuns.COLLAB + "/predict?user=c0&movie_id=1").status());
            for (int c = 0; c < 6; c++) {
                Http.Res r = http.get("/api/models/" + TrainedRuns.COLLAB + "/recommend?user=c" + c + "&k=5");
                assertEquals(200, r.status(), r.text());
                int client = c;
                Set<String> rated = new HashSet<>();
                times.keySet().stream().filter(ts -> ts / 1_000_000 == client)
                        .forEach(ts -> rated.add(String.valueOf(1 + (ts % 1_000_000) % 40)));
                r.json().get("items").forEach(item -> assertTrue(!rated.contains(item.get("id").asText()),
                        "a movie the user rated before the kill: " + item));
            }
        } finally {
            again.process().destroy();
            again.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}

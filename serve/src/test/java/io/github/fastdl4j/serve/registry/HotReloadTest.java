package io.github.fastdl4j.serve.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.http.ServeApp;
import io.github.fastdl4j.serve.testing.Http;
import io.github.fastdl4j.serve.testing.TrainedRuns;
import io.github.fastdl4j.serve.vision.VisionServed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs that appear, are replaced or go away under --runs are picked up without a restart; a broken one is skipped. */
class HotReloadTest {

    @TempDir
    Path tmp;

    private static JsonNode waitFor(Http http, String what, Predicate<JsonNode> done) throws InterruptedException {
        JsonNode last = null;
        for (int i = 0; i < 200; i++) {
            last = http.get("/api/models").json();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + ": " + last);
    }

    private static String kindOf(JsonNode models, String id) {
        for (JsonNode m : models.get("models")) {
            if (m.get("id").asText().equals(id)) {
                return m.get("kind").asText();
            }
        }
        return null;
    }

    @Test
    void newReplacedBrokenAndRemovedRunsArePickedUp() throws Exception {
        Path runs = tmp.resolve("runs");
        Files.createDirectories(runs);
        try (ServeApp app = ServeApp.start(new ServeConfig(List.of(runs), List.of(), "127.0.0.1", 0, null, tmp.resolve("fb"),
                8, 1, 100, ServeConfig.Limits.defaults()))) {
            Http http = new Http(app.port());
            assertEquals(0, http.get("/health").json().get("models").asInt());
            // a run folder appears (copied in whole, then renamed into place as RunFolder does)
            TrainedRuns.copyTree(TrainedRuns.runs().resolve(TrainedRuns.VISION), runs.resolve(".vision.partial"));
            Files.move(runs.resolve(".vision.partial"), runs.resolve("v1"));
            waitFor(http, "v1", m -> "vision".equals(m.get("models").path(0).path("module").asText()));
            ModelRegistry.Entry first = app.registry().get("v1");
            // v1 replaced by a copy (a new file): requests holding the old entry still finish on it
            TrainedRuns.copyTree(TrainedRuns.runs().resolve(TrainedRuns.VISION), runs.resolve(".v1.partial"));
            TrainedRuns.deleteTree(runs.resolve("v1"));
            Files.move(runs.resolve(".v1.partial"), runs.resolve("v1"));
            // a scan between the delete and the move sees no v1 at all: wait for the new one, not just for the old one to go
            for (int i = 0; i < 200 && (app.registry().get("v1") == first || app.registry().get("v1") == null); i++) {
                Thread.sleep(50);
            }
            assertTrue(app.registry().get("v1") != first && app.registry().get("v1") != null, "replaced");
            byte[] png = http.get("/api/models/v1/charts/loss.png").body(); // any PNG: the model scales it
            VisionServed.Answer old = ((VisionServed) first.served()).predict(png, 3);
            assertEquals(3, old.predictions().size(), "the retired model still answers the request that holds it");
            // a broken model: logged and skipped, the server stays up
            Files.createDirectories(runs.resolve("broken"));
            Files.writeString(runs.resolve("broken").resolve(".fastdl4j-run"), "model.zip\n");
            Files.writeString(runs.resolve("broken").resolve("model.zip"), "not a zip");
            // a run trained into the folder, then retrained as another kind into the same folder: the new model answers
            String[] common = {"--ratings", TrainedRuns.ratings().toString(), "--epochs", "1", "--factors", "3", "--out",
                    runs.resolve("c").toString()};
            CliRun dot = CliRun.run(new CollabMain(), "collab", concat(new String[]{"train", "--model", "dot"}, common));
            assertEquals(0, dot.code(), dot.err());
            waitFor(http, "the dot model", m -> "dot".equals(kindOf(m, "c")));
            assertEquals(200, http.get("/api/models/c/recommend?user=1&k=3").status());
            CliRun nn = CliRun.run(new CollabMain(), "collab", concat(new String[]{"train", "--model", "nn", "--layers", "8"}, common));
            assertEquals(0, nn.code(), nn.err());
            JsonNode after = waitFor(http, "the nn model", m -> "nn".equals(kindOf(m, "c")));
            assertEquals(2, after.get("models").size(), "the broken run is not listed: " + after);
            assertEquals("broken", after.get("skipped").get(0).get("id").asText(), after.toString());
            assertTrue(after.get("skipped").get(0).get("error").asText().startsWith("model.zip: "), after.toString());
            // the nn model answers now: feedback refits its users by gradient (the dot model's was ridge)
            Http.Res fb = http.postJson("/api/models/c/feedback", "{\"user\": 1, \"movie_id\": 1, \"rating\": 5}");
            assertEquals(201, fb.status(), fb.text());
            assertEquals("gradient", fb.json().get("refit").asText(), fb.text());
            Http.Res fold = http.postJson("/api/models/c/recommend", "{\"rated\": {\"1\": 5}, \"k\": 3}");
            assertEquals(200, fold.status(), "the nn model folds a new user in too: " + fold.text());
            assertEquals(3, fold.json().get("items").size(), fold.text());
            // the run goes away: 404
            TrainedRuns.deleteTree(runs.resolve("c"));
            waitFor(http, "c removed", m -> kindOf(m, "c") == null);
            assertEquals(404, http.get("/api/models/c/recommend?user=1").status());
            assertEquals(200, http.get("/health").status());
        }
    }

    /** Two run folders of the same name under two --runs folders get distinct ids. */
    @Test
    void clashingNamesGetSuffixes() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        TrainedRuns.copyTree(TrainedRuns.runs().resolve(TrainedRuns.VISION), a.resolve("m"));
        TrainedRuns.copyTree(TrainedRuns.runs().resolve(TrainedRuns.VISION), b.resolve("m"));
        try (ServeApp app = ServeApp.start(new ServeConfig(List.of(a, b), List.of(TrainedRuns.model(TrainedRuns.TABULAR)), "127.0.0.1", 0,
                null, tmp.resolve("fb"), 8, 1, 60_000, ServeConfig.Limits.defaults()))) {
            JsonNode models = new Http(app.port()).get("/api/models").json().get("models");
            assertEquals(3, models.size(), models.toString());
            assertEquals("m", models.get(0).get("id").asText());
            assertEquals("m-2", models.get(1).get("id").asText());
            assertEquals(TrainedRuns.TABULAR, models.get(2).get("id").asText());
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

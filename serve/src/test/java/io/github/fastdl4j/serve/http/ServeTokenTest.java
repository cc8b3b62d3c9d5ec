package io.github.fastdl4j.serve.http;

import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.testing.Http;
import io.github.fastdl4j.serve.testing.TrainedRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a token, every request (health and metrics too) needs Authorization: Bearer <token>. */
class ServeTokenTest {

    @TempDir
    Path tmp;

    @Test
    void everyRequestNeedsTheBearerToken() {
        String token = "s3cret-token-0123456789";
        try (ServeApp app = ServeApp.start(new ServeConfig(List.of(TrainedRuns.runs()), List.of(), "127.0.0.1", 0, token,
                tmp.resolve("fb"), 8, 1, 60_000, ServeConfig.Limits.defaults()))) {
            Http none = new Http(app.port());
            Http wrong = new Http(app.port(), "s3cret-token-0123456780");
            Http prefix = new Http(app.port(), "s3cret-token");
            Http right = new Http(app.port(), token);
            for (String path : List.of("/health", "/metrics", "/api/models", "/api/models/" + TrainedRuns.COLLAB + "/recommend?user=1",
                    "/no/such/route")) {
                for (Http bad : List.of(none, wrong, prefix)) {
                    Http.Res r = bad.get(path);
                    assertEquals(401, r.status(), path + " " + r.text());
                    assertTrue(r.json().get("error").asText().contains("token"), r.text());
                    assertEquals("Bearer", r.header("WWW-Authenticate"));
                }
            }
            String fb = "/api/models/" + TrainedRuns.COLLAB + "/feedback";
            assertEquals(401, none.postJson(fb, "{\"user\": 1, \"movie_id\": 2, \"rating\": 4}").status());
            assertEquals(401, none.postJson("/api/reload", "{}").status());
            // the page shell (no data) loads without it, so a browser can ask for the token; /api/auth says what is needed
            for (String shell : List.of("/", "/run.html", "/app.js", "/style.css", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")) {
                assertEquals(200, none.get(shell).status(), shell);
            }
            assertEquals(401, none.get("/api/models/" + TrainedRuns.VISION + "/charts/loss.png").status());
            assertTrue(none.get("/webjars/../api/models").status() >= 400, "no way round the guard");
            Http.Res auth = none.get("/api/auth");
            assertEquals(200, auth.status());
            assertTrue(auth.json().get("token_required").asBoolean());
            assertFalse(auth.json().get("valid").asBoolean());
            assertFalse(wrong.get("/api/auth").json().get("valid").asBoolean());
            assertTrue(right.get("/api/auth").json().get("valid").asBoolean());
            assertEquals(200, right.get("/health").status());
            assertEquals(200, right.get("/api/models/" + TrainedRuns.COLLAB + "/recommend?user=1").status());
            assertEquals(201, right.postJson(fb, "{\"user\": 1, \"movie_id\": 2, \"rating\": 4}").status());
            assertEquals(200, right.postJson("/api/reload", "{}").status());
        }
    }
}

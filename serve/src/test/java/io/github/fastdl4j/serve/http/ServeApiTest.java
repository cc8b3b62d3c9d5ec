package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.testing.Http;
import io.github.fastdl4j.serve.testing.TrainedRuns;
import io.github.fastdl4j.tabular.cli.TabularMain;
import io.github.fastdl4j.vision.cli.VisionMain;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.Mnist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.fastdl4j.serve.testing.Http.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each route's happy path with real values (equal to what the CLI answers), and the errors. */
class ServeApiTest {

    @TempDir
    static Path tmp;
    static ServeApp app;
    static Http http;
    static final String C = "/api/models/" + TrainedRuns.COLLAB;
    static final String T = "/api/models/" + TrainedRuns.TABULAR;
    static final String V = "/api/models/" + TrainedRuns.VISION;

    @BeforeAll
    static void start() {
        ServeConfig.Limits limits = new ServeConfig.Limits(1 << 20, 200_000, 1_000_000, 50, 100);
        app = ServeApp.start(new ServeConfig(List.of(TrainedRuns.runs()), List.of(), "127.0.0.1", 0, null, tmp.resolve("feedback"),
                32, 30, 60_000, limits));
        http = new Http(app.port());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static CliRun cli(Object main, String job, String... args) {
        CliRun r = CliRun.run(main, job, args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    /** The "  score  title" lines the CLI prints after a heading. */
    private static List<String> cliList(String out, String heading) {
        return out.substring(out.indexOf(heading)).lines().skip(1).filter(l -> l.matches("\\s+-?\\d+\\.\\d{4}  .*"))
                .map(String::strip).toList();
    }

    private static List<String> apiList(JsonNode items) {
        List<String> l = new ArrayList<>();
        items.forEach(i -> l.add(String.format(Locale.ROOT, "%.4f  %s", i.get("score").asDouble(), i.get("title").asText())));
        return l;
    }

    @Test
    void listsTheModelsWithTheirMetricsAndHealth() {
        Http.Res r = http.get("/api/models");
        assertEquals(200, r.status(), r.text());
        assertTrue(r.type().startsWith("application/json"), r.type());
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertNotNull(r.header("Content-Security-Policy"));
        assertEquals(null, r.header("Access-Control-Allow-Origin"), "no CORS");
        JsonNode models = r.json().get("models");
        assertEquals(3, models.size(), r.text());
        JsonNode c = models.get(0);
        assertEquals(TrainedRuns.COLLAB, c.get("id").asText());
        assertEquals("collab", c.get("module").asText());
        assertEquals("dot", c.get("kind").asText());
        assertTrue(c.get("metrics").get("valid_loss").asDouble() > 0, c.toString());
        assertEquals("collab", c.get("provenance").get("job").asText(), c.toString());
        assertFalse(c.get("loaded_at").asText().isEmpty());
        assertEquals("tabular", models.get(1).get("module").asText());
        assertEquals("classifier", models.get(1).get("kind").asText());
        assertEquals("vision", models.get(2).get("module").asText());
        assertFalse(r.text().contains(TrainedRuns.runs().toString()), "no server paths in answers");
        Http.Res h = http.get("/health");
        assertEquals(200, h.status());
        assertEquals("ok", h.json().get("status").asText());
        assertEquals(3, h.json().get("models").asInt());
        Http.Res o = http.get("/api/openapi.json");
        assertEquals(200, o.status());
        assertEquals("3.0.3", o.json().get("openapi").asText());
        assertTrue(o.json().get("paths").has("/api/models/{id}/feedback"));
    }

    @Test
    void aRunsChartsAndSummaryAreServedByNameOnly() {
        Http.Res m = http.get(C);
        assertEquals(200, m.status(), m.text());
        assertTrue(m.json().get("report").get("epochs").size() == 4, m.text());
        List<String> charts = new ArrayList<>();
        m.json().get("charts").forEach(c -> charts.add(c.asText()));
        assertTrue(charts.contains("loss.png") && charts.contains("movie_pca.png"), charts.toString());
        Http.Res png = http.get(C + "/charts/loss.png");
        assertEquals(200, png.status());
        assertEquals("image/png", png.type());
        assertEquals((byte) 0x89, png.body()[0]);
        assertEquals('P', png.body()[1]);
        // what interpret writes later into the run folder shows without a reload
        Path interpret = TrainedRuns.runs().resolve(TrainedRuns.COLLAB).resolve("interpret");
        try {
            Files.createDirectories(interpret);
            Files.write(interpret.resolve("confusion_matrix.png"), png.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(http.get(C).json().get("charts").toString().contains("interpret-confusion_matrix.png"));
        assertEquals(200, http.get(C + "/charts/interpret-confusion_matrix.png").status());
        TrainedRuns.deleteTree(interpret);
        for (String bad : List.of("nope.png", "..%2Fmodel.zip", "..%2F..%2Fmetrics.json", "%2e%2e%2fmodel.zip", "loss.png%00")) {
            Http.Res r = http.get(C + "/charts/" + bad);
            assertTrue(r.status() == 404 || r.status() == 400, bad + " " + r.text()); // Jetty refuses an encoded NUL itself
            assertTrue(r.json().has("error"), r.text());
        }
    }

    @Test
    void recommendsForAKnownUserAsTheCliDoesLeavingOutSeenMovies() throws Exception {
        Http.Res r = http.get(C + "/recommend?user=3&k=5");
        assertEquals(200, r.status(), r.text());
        JsonNode items = r.json().get("items");
        assertEquals(5, items.size());
        CollabModel m = CollabModel.load(TrainedRuns.model(TrainedRuns.COLLAB));
        Set<String> seen = new HashSet<>();
        Arrays.stream(m.seen(m.users().index("3"))).forEach(i -> seen.add(m.movies().id(i)));
        assertEquals(20, seen.size());
        items.forEach(i -> assertFalse(seen.contains(i.get("id").asText()), "seen movie recommended: " + i));
        CliRun cli = cli(new CollabMain(), "collab", "recommend", "--user", "3", "-k", "5", "--model-file",
                TrainedRuns.model(TrainedRuns.COLLAB).toString());
        assertEquals(cliList(cli.out(), "Recommended for user 3"), apiList(items));
        // a user id as a number in the query is the same id
        assertEquals(404, http.get("/api/models/nope/recommend?user=3").status());
    }

    @Test
    void recommendsForANewUserByFoldInAsTheCliDoes() {
        Http.Res r = http.postJson(C + "/recommend", "{\"rated\": {\"Movie 1 (1951)\": 5, \"2\": 4, \"Movie 3 (1953)\": 1}, \"k\": 6}");
        assertEquals(200, r.status(), r.text());
        JsonNode items = r.json().get("items");
        assertEquals(6, items.size());
        items.forEach(i -> assertFalse(Set.of("1", "2", "3").contains(i.get("id").asText()), "a rated movie: " + i));
        CliRun cli = cli(new CollabMain(), "collab", "recommend", "--rated", "Movie 1 (1951)=5,id:2=4,Movie 3 (1953)=1", "-k", "6",
                "--model-file", TrainedRuns.model(TrainedRuns.COLLAB).toString());
        assertEquals(cliList(cli.out(), "Recommended for the new user"), apiList(items));
    }

    @Test
    void similarByTitleOrIdAsTheCliDoes() {
        Http.Res byTitle = http.get(C + "/similar?movie=" + q("Movie 7 (1957)") + "&k=4&min_ratings=0");
        Http.Res byId = http.get(C + "/similar?movie_id=7&k=4&min_ratings=0");
        assertEquals(200, byTitle.status(), byTitle.text());
        assertEquals(byTitle.json().get("items"), byId.json().get("items"));
        assertEquals("7", byId.json().get("movie").get("id").asText());
        CliRun cli = cli(new CollabMain(), "collab", "similar", "--movie-id", "7", "-k", "4", "--min-ratings", "0",
                "--model-file", TrainedRuns.model(TrainedRuns.COLLAB).toString());
        assertEquals(cliList(cli.out(), "Nearest to"), apiList(byId.json().get("items")));
    }

    @Test
    void predictsARatingAsTheCliDoes() {
        Http.Res r = http.get(C + "/predict?user=5&movie_id=9");
        assertEquals(200, r.status(), r.text());
        double rating = r.json().get("rating").asDouble();
        CliRun cli = cli(new CollabMain(), "collab", "predict", "--user", "5", "--movie-id", "9", "--model-file",
                TrainedRuns.model(TrainedRuns.COLLAB).toString());
        Matcher m = Pattern.compile("predicted rating (\\d+\\.\\d\\d)").matcher(cli.out());
        assertTrue(m.find(), cli.out());
        assertEquals(m.group(1), String.format(Locale.ROOT, "%.2f", rating));
    }

    @Test
    void feedbackIsLoggedDurablyAndChangesTheUsersNextAnswers() throws Exception {
        // user 11's best unseen movie, rated 1: it leaves the list, and the user's other predictions move
        JsonNode before = http.get(C + "/recommend?user=11&k=8").json().get("items");
        String top = before.get(0).get("id").asText();
        String other = before.get(3).get("id").asText();
        double otherBefore = http.get(C + "/predict?user=11&movie_id=" + other).json().get("rating").asDouble();
        Http.Res f = http.postJson(C + "/feedback", "{\"user\": 11, \"movie_id\": \"" + top + "\", \"rating\": 1, \"timestamp\": 1700000000}");
        assertEquals(201, f.status(), f.text());
        assertTrue(f.json().get("folded").asBoolean(), f.text());
        List<String> log = Files.readAllLines(tmp.resolve("feedback").resolve(TrainedRuns.COLLAB + ".csv"));
        assertEquals("userId,movieId,rating,timestamp", log.get(0));
        assertTrue(log.contains("11," + top + ",1,1700000000"), log.toString());
        JsonNode after = http.get(C + "/recommend?user=11&k=8").json().get("items");
        after.forEach(i -> assertNotEquals(top, i.get("id").asText(), "the rated movie is seen now"));
        double otherAfter = http.get(C + "/predict?user=11&movie_id=" + other).json().get("rating").asDouble();
        assertTrue(otherAfter < otherBefore, "a low rating pulls the user's other ratings down: " + otherBefore + " -> " + otherAfter);
        // a new user id becomes a folded-in user
        assertEquals(422, http.get(C + "/recommend?user=newbie").status());
        assertEquals(201, http.postJson(C + "/feedback", "{\"user\": \"newbie\", \"movie_id\": 4, \"rating\": 5}").status());
        Http.Res n = http.get(C + "/recommend?user=newbie&k=3");
        assertEquals(200, n.status(), n.text());
        n.json().get("items").forEach(i -> assertNotEquals("4", i.get("id").asText()));
        assertEquals(200, http.get(C + "/predict?user=newbie&movie_id=4").status());
    }

    @Test
    void tabularPredictsJsonRowsAndCsvAsTheCliDoes() throws Exception {
        List<String> lines = Files.readAllLines(TrainedRuns.census());
        String header = lines.get(0).replace(", salary", "").replace(",salary", "");
        StringBuilder csv = new StringBuilder(header).append('\n');
        for (int i = 1; i <= 3; i++) {
            csv.append(lines.get(i), 0, lines.get(i).lastIndexOf(',')).append('\n');
        }
        Http.Res r = http.post(T + "/predict", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.text());
        JsonNode p = r.json().get("predictions");
        assertEquals(3, p.size());
        Path in = tmp.resolve("rows.csv");
        Files.writeString(in, csv);
        Path out = tmp.resolve("pred.csv");
        cli(new TabularMain(), "tabular", "predict", "--model-file", TrainedRuns.model(TrainedRuns.TABULAR).toString(), "--csv",
                in.toString(), "--out", out.toString());
        List<String> expected = Files.readAllLines(out);
        assertEquals("line,salary,p_<50k,p_>=50k", expected.get(0));
        for (int i = 0; i < 3; i++) {
            String[] e = expected.get(i + 1).split(",");
            JsonNode row = p.get(i);
            assertEquals(e[1], row.get("prediction").asText());
            assertEquals(e[2], String.format(Locale.ROOT, "%.4f", row.get("probabilities").get("<50k").asDouble()));
            assertEquals(e[3], String.format(Locale.ROOT, "%.4f", row.get("probabilities").get(">=50k").asDouble()));
        }
        // the same rows as JSON objects: the same answers
        String[] names = header.split(",\\s*");
        StringBuilder json = new StringBuilder("{\"rows\": [");
        for (int i = 1; i <= 3; i++) {
            String[] v = lines.get(i).split(",\\s*");
            json.append(i > 1 ? "," : "").append('{');
            for (int j = 0; j < names.length; j++) {
                String value = v[j].equals("?") || v[j].isEmpty() ? "null" : v[j].matches("-?\\d+") ? v[j] : "\"" + v[j] + "\"";
                json.append(j > 0 ? "," : "").append('"').append(names[j]).append("\":").append(value);
            }
            json.append('}');
        }
        Http.Res j = http.postJson(T + "/predict", json.append("]}").toString());
        assertEquals(200, j.status(), j.text());
        for (int i = 0; i < 3; i++) {
            assertEquals(p.get(i).get("probabilities").get(">=50k").asDouble(), j.json().get("predictions").get(i).get("probabilities")
                    .get(">=50k").asDouble(), 1e-6, json.toString());
        }
        Http.Res missing = http.postJson(T + "/predict", "{\"rows\": [{\"age\": 30}]}");
        assertEquals(422, missing.status(), missing.text());
        assertTrue(missing.json().get("error").asText().contains("no such column"), missing.text());
        assertFalse(missing.text().contains("fastdl4j-serve-rows"), "no temp paths: " + missing.text());
    }

    private static byte[] png(int[] pixels) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(DigitImage.toImage(pixels), "png", b);
        return b.toByteArray();
    }

    @Test
    void visionPredictsPngAndMultipartAsTheCliDoes() throws Exception {
        byte[] png = png(Mnist.sample().rawTestImage(0));
        Http.Res r = http.post(V + "/predict", "image/png", png);
        assertEquals(200, r.status(), r.text());
        JsonNode p = r.json().get("predictions");
        assertEquals(10, p.size());
        for (int i = 1; i < p.size(); i++) {
            assertTrue(p.get(i - 1).get("probability").asDouble() >= p.get(i).get("probability").asDouble(), "best first");
        }
        Path file = tmp.resolve("digit.png");
        Files.write(file, png);
        CliRun cli = cli(new VisionMain(), "vision", "predict", "--model-file", TrainedRuns.model(TrainedRuns.VISION).toString(),
                "--image", file.toString());
        assertTrue(cli.out().contains("digit: " + p.get(0).get("label").asText()), cli.out() + r.text());
        Matcher m = Pattern.compile("\\n  " + p.get(0).get("label").asText() + "  (\\d\\.\\d{4})").matcher(cli.out());
        assertTrue(m.find(), cli.out());
        assertEquals(m.group(1), String.format(Locale.ROOT, "%.4f", p.get(0).get("probability").asDouble()));
        // multipart upload: the same answer
        String boundary = "----fastdl4jtest";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"d.png\"\r\nContent-Type: image/png\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.write(png);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        Http.Res mp = http.post(V + "/predict", "multipart/form-data; boundary=" + boundary, body.toByteArray());
        assertEquals(200, mp.status(), mp.text());
        assertEquals(p, mp.json().get("predictions"));
    }

    @Test
    void concurrentImagesAreBatchedIntoOneForwardPass() throws Exception {
        Mnist mnist = Mnist.sample();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Http.Res>> all = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] png = png(mnist.rawTestImage(i));
                all.add(pool.submit(() -> http.post(V + "/predict?top=1", "image/png", png)));
            }
            for (int i = 0; i < all.size(); i++) {
                Http.Res r = all.get(i).get();
                assertEquals(200, r.status(), r.text());
                // the batched answer is the image's own: the same as alone
                Http.Res alone = http.post(V + "/predict?top=1", "image/png", png(mnist.rawTestImage(i)));
                assertEquals(alone.json().get("predictions").get(0).get("label"), r.json().get("predictions").get(0).get("label"));
                // to the last digit: an image's answer does not depend on the batch (padded or not) it was in
                assertEquals(alone.json().get("predictions").get(0).get("probability").asDouble(),
                        r.json().get("predictions").get(0).get("probability").asDouble());
            }
        } finally {
            pool.shutdownNow();
        }
        String metrics = http.get("/metrics").text();
        Matcher max = Pattern.compile("(?m)^fastdl4j_vision_batch_size_max (\\S+)").matcher(metrics);
        assertTrue(max.find(), metrics);
        assertTrue(Double.parseDouble(max.group(1)) > 1, "some batch held several images: " + max.group(0));
        assertTrue(metrics.contains("http_server_requests_seconds_bucket{method=\"POST\",route=\"/api/models/{id}/predict\",status=\"200\""),
                "latency histogram by route and status");
        assertTrue(metrics.contains("fastdl4j_models_loaded 3.0"), "models gauge");
    }

    @Test
    void concurrentTabularRequestsShareForwardPassesAndKeepTheirOwnAnswers() throws Exception {
        List<String> lines = Files.readAllLines(TrainedRuns.census());
        String header = lines.get(0).replace(", salary", "").replace(",salary", "");
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            bodies.add((header + "\n" + lines.get(i).substring(0, lines.get(i).lastIndexOf(',')) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<Double> alone = new ArrayList<>();
        for (byte[] b : bodies) {
            alone.add(http.post(T + "/predict", "text/csv", b).json().get("predictions").get(0).get("probabilities").get(">=50k").asDouble());
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Http.Res>> all = new ArrayList<>();
            for (byte[] b : bodies) {
                all.add(pool.submit(() -> http.post(T + "/predict", "text/csv", b)));
            }
            for (int i = 0; i < all.size(); i++) {
                Http.Res r = all.get(i).get();
                assertEquals(200, r.status(), r.text());
                assertEquals(alone.get(i), r.json().get("predictions").get(0).get("probabilities").get(">=50k").asDouble(),
                        "row " + i + " answered with its own rows, to the last digit (batched and padded or alone)");
            }
        } finally {
            pool.shutdownNow();
        }
        Matcher max = Pattern.compile("(?m)^fastdl4j_tabular_batch_size_max (\\S+)").matcher(http.get("/metrics").text());
        assertTrue(max.find());
        assertTrue(Double.parseDouble(max.group(1)) > 1, "some forward pass served several requests: " + max.group(0));
    }

    @Test
    void errorsAreJsonWithTheRightStatus() {
        String[][] cases = {
                {"GET", "/api/models/nope", "", "", "404"},
                {"GET", "/no/such/route", "", "", "404"},
                {"GET", C + "/recommend?user=3&k=0", "", "", "400"},
                {"GET", C + "/recommend?user=3&k=abc", "", "", "400"},
                {"GET", C + "/recommend?user=3&k=101", "", "", "400"},
                {"GET", C + "/recommend", "", "", "400"},
                {"GET", C + "/recommend?user=99999", "", "", "422"},
                {"GET", C + "/predict?user=3&movie_id=77777", "", "", "422"},
                {"GET", C + "/similar?movie=Nothing+like+this", "", "", "422"},
                {"GET", C + "/similar?movie=Movie", "", "", "422"},
                {"POST", C + "/recommend", "text/plain", "{}", "415"},
                {"POST", C + "/recommend", "application/json", "{bad json", "400"},
                {"POST", C + "/recommend", "application/json", "[1,2]", "400"},
                {"POST", C + "/recommend", "application/json", "{\"rated\": {\"1\": \"five\"}}", "400"},
                {"POST", C + "/recommend", "application/json", "{\"rated\": {\"1\": 5}, \"k\": 1e300}", "400"},
                {"POST", C + "/feedback", "application/json", "{\"user\": 1, \"movie_id\": 1, \"rating\": 99}", "422"},
                {"POST", C + "/feedback", "application/json", "{\"user\": 1.5, \"movie_id\": 1, \"rating\": 3}", "400"},
                {"POST", C + "/feedback", "application/json", "{\"user\": \"a,b\", \"movie_id\": 1, \"rating\": 3}", "400"},
                {"POST", C + "/feedback", "application/json", "{\"user\": 1, \"rating\": 3}", "400"},
                {"POST", T + "/predict", "application/xml", "<a/>", "415"},
                {"POST", T + "/predict", "application/json", "{\"rows\": []}", "400"},
                {"POST", V + "/predict", "image/png", "not a png at all", "415"},
                {"POST", V + "/predict", "text/plain", "x", "415"},
                {"GET", "/api/models/" + q("../../etc/passwd") + "/recommend?user=1", "", "", "404"},
                {"GET", "/api/models/..%2F..%2Fetc/recommend?user=1", "", "", "404"},
        };
        for (String[] c : cases) {
            Http.Res r = c[0].equals("GET") ? http.get(c[1]) : http.post(c[1], c[2], c[3].getBytes(StandardCharsets.UTF_8));
            assertEquals(Integer.parseInt(c[4]), r.status(), String.join(" ", c) + " -> " + r.text());
            assertTrue(r.type().startsWith("application/json"), String.join(" ", c) + " -> " + r.type() + " " + r.text());
            assertTrue(r.json().get("error").asText().length() > 3, r.text());
            assertFalse(r.text().contains("Exception") || r.text().contains("\tat "), "no stack trace: " + r.text());
        }
        // over the caps: body, rows, pixels
        Http.Res big = http.post(T + "/predict", "text/csv", new byte[2 << 20]);
        assertEquals(413, big.status(), big.text());
        Http.Res bigPart = http.post(V + "/predict", "multipart/form-data; boundary=x", ("--x\r\nContent-Disposition: form-data; name=\"image\"; "
                + "filename=\"a.png\"\r\n\r\n" + "a".repeat(3 << 20) + "\r\n--x--\r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals(413, bigPart.status(), bigPart.text());
        Http.Res bigImage = http.post(V + "/predict", "multipart/form-data; boundary=x", ("--x\r\nContent-Disposition: form-data; name=\"image\"; "
                + "filename=\"a.png\"\r\n\r\n" + "a".repeat(300_000) + "\r\n--x--\r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals(413, bigImage.status(), "over the image cap, under the body cap: " + bigImage.text());
        StringBuilder rows = new StringBuilder("{\"rows\": [");
        for (int i = 0; i < 51; i++) {
            rows.append(i > 0 ? "," : "").append("{\"age\": 1}");
        }
        assertEquals(413, http.postJson(T + "/predict", rows.append("]}").toString()).status());
        byte[] huge = new byte[24];
        System.arraycopy(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0x7f, 0, 0, 0, 0x7f, 0},
                0, huge, 0, 24);
        Http.Res px = http.post(V + "/predict", "image/png", huge);
        assertEquals(413, px.status(), px.text());
        assertTrue(px.json().get("error").asText().contains("32512x32512"), px.text());
    }
}

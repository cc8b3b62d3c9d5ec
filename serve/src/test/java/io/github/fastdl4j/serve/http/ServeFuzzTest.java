package io.github.fastdl4j.serve.http;

import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.testing.TrainedRuns;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.Mnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.Arrays;
import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed requests, sent raw over a socket (so nothing a client library would refuse is kept
 * out): bad JSON, wrong types, huge numbers, binary garbage as images, truncated multipart,
 * unknown routes and methods, path traversal in ids. None may get a 5xx, an HTML page or a stack
 * trace (in the answer or the server's log), and the server answers normally afterwards.
 */
class ServeFuzzTest {

    @TempDir
    Path tmp;

    static final String C = "/api/models/" + TrainedRuns.COLLAB;
    static final String T = "/api/models/" + TrainedRuns.TABULAR;
    static final String V = "/api/models/" + TrainedRuns.VISION;

    private record Answer(int status, String head, String body) {
    }

    private static Answer send(int port, String method, String target, String type, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            StringBuilder h = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            if (type != null) {
                h.append("Content-Type: ").append(type).append("\r\n");
            }
            if (body != null) {
                h.append("Content-Length: ").append(body.length).append("\r\n");
            }
            out.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int split = all.indexOf("\r\n\r\n");
            String head = split < 0 ? all : all.substring(0, split);
            String[] first = head.split(" ", 3);
            int status = first.length > 1 && first[1].matches("\\d{3}") ? Integer.parseInt(first[1]) : -1;
            return new Answer(status, head, split < 0 ? "" : all.substring(split + 4));
        }
    }

    private static final String[] JSON_VALUES = {"1", "-1", "0", "1e999", "-1e999", "123456789012345678901234567890", "3.5", "\"\"",
            "\"x\"", "null", "true", "[]", "{}", "[1,2]", "{\"a\":1}", "\"Movie 1 (1951)\"", "\"../../etc/passwd\"", "\"\\u0000\"",
            "NaN", "9223372036854775808", "-9223372036854775809", "\"" + "a".repeat(5000) + "\"", "1.0", "4", "\"4\""};

    private static String randomJson(Random r) {
        String[] fields = {"user", "movie_id", "rating", "timestamp", "rated", "k", "rows"};
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String f = fields[r.nextInt(fields.length)];
            String v = JSON_VALUES[r.nextInt(JSON_VALUES.length)];
            if (f.equals("rated") && r.nextBoolean()) {
                v = "{\"" + (r.nextBoolean() ? "1" : "Movie") + "\": " + JSON_VALUES[r.nextInt(JSON_VALUES.length)] + "}";
            }
            if (f.equals("rows") && r.nextBoolean()) {
                v = "[{\"age\": " + JSON_VALUES[r.nextInt(JSON_VALUES.length)] + ", \"workclass\": " + JSON_VALUES[r.nextInt(JSON_VALUES.length)] + "}]";
            }
            b.append(i > 0 ? "," : "").append('"').append(f).append("\":").append(v);
        }
        String s = b.append('}').toString();
        return switch (r.nextInt(6)) {
            case 0 -> s.substring(0, r.nextInt(s.length() + 1));          // truncated
            case 1 -> "[".repeat(2000 + r.nextInt(3000));                 // deep nesting
            case 2 -> new String(garbage(r, 64), StandardCharsets.ISO_8859_1);
            default -> s;
        };
    }

    private static byte[] garbage(Random r, int max) {
        byte[] b = new byte[r.nextInt(max) + 1];
        r.nextBytes(b);
        return b;
    }

    private static byte[] image(Random r, byte[] png) {
        byte[] b = switch (r.nextInt(6)) {
            case 0 -> garbage(r, 4096);
            case 1 -> Arrays.copyOf(png, r.nextInt(png.length));   // truncated PNG
            case 2 -> {
                byte[] c = png.clone();                                      // PNG with random bytes flipped
                for (int i = 0; i < 8; i++) {
                    c[8 + r.nextInt(c.length - 8)] = (byte) r.nextInt();
                }
                yield c;
            }
            case 3 -> {
                byte[] c = png.clone();                                      // a header claiming any size
                for (int i = 16; i < 24; i++) {
                    c[i] = (byte) r.nextInt();
                }
                yield c;
            }
            case 4 -> {
                byte[] c = garbage(r, 256);                                  // a JPEG start, then garbage
                c[0] = (byte) 0xff;
                if (c.length > 2) {
                    c[1] = (byte) 0xd8;
                    c[2] = (byte) 0xff;
                }
                yield c;
            }
            default -> new byte[0];
        };
        return b;
    }

    private static byte[] multipart(Random r, byte[] png) {
        String boundary = "b" + r.nextInt(1000);
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + (r.nextBoolean() ? "image" : "other")
                + "\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head);
        b.writeBytes(r.nextBoolean() ? png : image(r, png));
        b.writeBytes(tail);
        byte[] all = b.toByteArray();
        return r.nextBoolean() ? Arrays.copyOf(all, r.nextInt(all.length)) : all; // truncated multipart
    }

    @Test
    void aThousandMalformedRequestsLeaveTheServerAliveWithoutA5xx() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        ByteArrayOutputStream pngOut = new ByteArrayOutputStream();
        ImageIO.write(DigitImage.toImage(Mnist.sample().rawTestImage(1)), "png", pngOut);
        byte[] png = pngOut.toByteArray();
        ServeConfig.Limits limits = new ServeConfig.Limits(256 << 10, 64 << 10, 1_000_000, 20, 100);
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        try (ServeApp app = ServeApp.start(new ServeConfig(List.of(TrainedRuns.runs()), List.of(), "127.0.0.1", 0, null,
                tmp.resolve("fb"), 8, 1, 60_000, limits))) {
            System.setErr(new PrintStream(new TeeStream(err, log), true));
            Random r = new Random(22);
            String[] ids = {TrainedRuns.COLLAB, TrainedRuns.TABULAR, TrainedRuns.VISION, "..", "%2e%2e", "..%2f..%2fetc%2fpasswd",
                    "%00", "a%00b", "..;", "%2F", "nope", "%ff%fe", "x".repeat(3000), "%", "%zz", "model.zip", "~root"};
            String[] routes = {"recommend", "similar", "predict", "feedback", "", "x", "../../health", "recommend/extra", "confusion",
                    "top-losses", "top-losses/0.png", "top-losses/99999999999.png", "top-losses/-1.png", "top-losses/..%2f0.png",
                    "top-losses/0", "charts/loss.png", "charts/..%2f..%2fmodel.zip"};
            String[] queries = {"", "?user=1", "?user=1&k=99999999999999999999", "?user=&k=-1", "?k=1e9&user=1", "?user=%00",
                    "?movie=%ff", "?movie_id=1&movie=x", "?movie_id=99999999999999999999999", "?user=1&movie_id=1&k=NaN",
                    "?top=0", "?top=99999999999", "?k=0", "?k=64", "?k=1e3", "?user=" + "9".repeat(2000), "?min_ratings=-5&movie_id=1", "?%%%", "?user=1&user=2"};
            String[] types = {null, "application/json", "text/csv", "image/png", "image/jpeg", "multipart/form-data; boundary=b1",
                    "multipart/form-data", "application/octet-stream", "text/plain", "application/json; charset=utf-16", "*/*", "\u00ff"};
            String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO"};
            for (int i = 0; i < 1100; i++) {
                String method;
                String target;
                String type;
                byte[] body = null;
                switch (i % 8) {
                    case 0, 1 -> {   // JSON to the collab POST routes
                        method = "POST";
                        target = C + "/" + (r.nextBoolean() ? "recommend" : "feedback");
                        type = "application/json";
                        body = randomJson(r).getBytes(StandardCharsets.UTF_8);
                    }
                    case 2 -> {      // tabular rows: JSON or CSV
                        method = "POST";
                        target = T + "/predict";
                        type = r.nextBoolean() ? "application/json" : "text/csv";
                        body = (type.equals("text/csv") ? (r.nextBoolean() ? "age,workclass\n" + r.nextInt() + ",\"x\n"
                                : new String(garbage(r, 300), StandardCharsets.ISO_8859_1)) : randomJson(r)).getBytes(StandardCharsets.UTF_8);
                    }
                    case 3 -> {      // images: garbage, truncated, huge headers
                        method = "POST";
                        target = V + "/predict" + (r.nextInt(4) == 0 ? queries[r.nextInt(queries.length)] : "");
                        type = r.nextBoolean() ? "image/png" : "application/octet-stream";
                        body = image(r, png);
                    }
                    case 4 -> {      // multipart, often truncated
                        method = "POST";
                        target = V + "/predict";
                        type = "multipart/form-data; boundary=b" + r.nextInt(1000);
                        body = multipart(r, png);
                        if (r.nextBoolean()) {
                            String t = new String(body, 0, Math.min(body.length, 20), StandardCharsets.ISO_8859_1);
                            int at = t.indexOf("\r\n");
                            type = "multipart/form-data; boundary=" + (at > 2 ? t.substring(2, at) : "b");
                        }
                    }
                    case 5 -> {      // GET routes with hostile queries and ids
                        method = "GET";
                        target = "/api/models/" + ids[r.nextInt(ids.length)] + "/" + routes[r.nextInt(routes.length)]
                                + queries[r.nextInt(queries.length)];
                        type = null;
                    }
                    case 6 -> {      // unknown routes, traversal, odd methods
                        method = methods[r.nextInt(methods.length)];
                        String[] paths = {"/", "/../../etc/passwd", "/api/../../x", "/%2e%2e/%2e%2e/etc/passwd", "/api/models/" + ids[r.nextInt(ids.length)],
                                "/metrics/../api/models", "/health?x=" + "y".repeat(r.nextInt(100)), "//api//models", "/api/models/",
                                "/static/../../pom.xml", "/api/openapi.json/..", "/WEB-INF/web.xml", "/api/models/%2e%2e%2f%2e%2e%2f",
                                "/api/auth", "/api/auth/..", "/run.html?id=%00", "/webjars/../api/models"};
                        target = paths[r.nextInt(paths.length)];
                        type = types[r.nextInt(types.length)];
                        body = r.nextBoolean() ? garbage(r, 100) : null;
                    }
                    default -> {     // any route, any type, any body
                        method = r.nextBoolean() ? "POST" : "GET";
                        target = "/api/models/" + ids[r.nextInt(3)] + "/" + routes[r.nextInt(routes.length)] + queries[r.nextInt(queries.length)];
                        type = types[r.nextInt(types.length)];
                        body = r.nextBoolean() ? garbage(r, 2000) : randomJson(r).getBytes(StandardCharsets.UTF_8);
                    }
                }
                Answer a = send(app.port(), method, target, type, body);
                byStatus.merge(a.status(), 1, Integer::sum);
                String what = method + " " + (target.length() > 80 ? target.substring(0, 80) : target) + " [" + type + "] -> " + a.status()
                        + " " + (a.body().length() > 200 ? a.body().substring(0, 200) : a.body());
                boolean json = a.head().toLowerCase().contains("content-type: application/json");
                if (a.status() < 100 || a.status() >= 500 || (a.status() >= 400 && !method.equals("HEAD") && !(json && a.body().startsWith("{\"error\"")))
                        || a.body().contains("Exception") || a.body().contains("\tat ") || (a.status() >= 400 && a.body().contains("<html"))) {
                    bad.add(what);
                }
            }
            System.setErr(err);
            assertEquals(200, send(app.port(), "GET", "/health", null, null).status(), "alive");
            assertEquals(200, send(app.port(), "GET", C + "/recommend?user=1", null, null).status(), "still answers");
            assertEquals(200, send(app.port(), "POST", V + "/predict", "image/png", png).status(), "still predicts");
        } finally {
            System.setErr(err);
        }
        assertTrue(bad.isEmpty(), bad.size() + " bad answers, e.g. " + bad.subList(0, Math.min(10, bad.size())) + "; by status " + byStatus);
        assertTrue(byStatus.values().stream().mapToInt(Integer::intValue).sum() >= 1000);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertFalse(logged.contains("\tat ") || logged.contains("Exception:"), "no stack trace in the log: "
                + logged.substring(0, Math.min(3000, logged.length())));
        System.out.println("fuzz: answers by status " + byStatus);
    }

    /** Writes to two streams. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}

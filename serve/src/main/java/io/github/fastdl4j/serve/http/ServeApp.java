package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.collab.CollabServed;
import io.github.fastdl4j.serve.collab.FeedbackLog;
import io.github.fastdl4j.serve.registry.ModelRegistry;
import io.github.fastdl4j.serve.registry.Served;
import io.github.fastdl4j.serve.tabular.TabularServed;
import io.github.fastdl4j.serve.vision.VisionServed;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import io.github.fastdl4j.vision.model.VisionModel;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The HTTP server: the JSON API over a {@link ModelRegistry}, health, Prometheus metrics and the
 * OpenAPI document, on Javalin (Jetty 12). Every answer that is not a success is
 * {@code {"error": "..."}} with its status; with a token, every request needs
 * {@code Authorization: Bearer <token>}.
 */
public final class ServeApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServeApp.class);
    /** User ids feedback may create: they go into a CSV log and come back in URLs. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");
    static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final ServeConfig config;
    private final ModelRegistry registry;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary batchSizes;
    private final Map<String, FeedbackLog> logs = new ConcurrentHashMap<>();
    private final byte[] tokenHash;
    private final ScheduledExecutorService poller;
    private final Javalin app;

    private ServeApp(ServeConfig config) {
        this.config = config;
        this.tokenHash = config.token() == null ? null : sha256(config.token());
        this.batchSizes = DistributionSummary.builder("fastdl4j_vision_batch_size").description("images per forward pass")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(metrics);
        DistributionSummary tabularBatches = DistributionSummary.builder("fastdl4j_tabular_batch_size")
                .description("requests per forward pass").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(metrics);
        Map<String, ModelRegistry.Loader> loaders = Map.of(
                "collab", (id, zip, a) -> new CollabServed(CollabModel.load(zip)),
                "tabular", (id, zip, a) -> new TabularServed(id, TabularPredictor.load(zip), config.maxBatch(), config.maxWaitMs(),
                        tabularBatches::record),
                "vision", (id, zip, a) -> new VisionServed(id, VisionModel.load(zip), config.maxBatch(), config.maxWaitMs(),
                        config.limits().maxPixels(), batchSizes::record));
        this.registry = new ModelRegistry(config.runs(), config.modelFiles(), loaders, this::publish);
        Gauge.builder("fastdl4j_models_loaded", registry, ModelRegistry::size).description("models served").register(metrics);
        registry.scan();
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.http.maxRequestSize = config.limits().maxBodyBytes();
            c.jetty.multipartConfig.maxFileSize(config.limits().maxImageBytes(), SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(config.limits().maxBodyBytes(), SizeUnit.BYTES);
            c.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, config.limits().maxImageBytes()), SizeUnit.BYTES);
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            // the web app: plain pages and scripts from the jar, uPlot from its WebJar
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/io/github/fastdl4j/serve/web";
                sf.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            c.staticFiles.enableWebjars();
            c.requestLogger.http((ctx, ms) -> record(ctx, ms));
            c.routes.before(this::guard);
            c.routes.get("/health", ctx -> json(ctx, 200, Map.of("status", "ok", "models", registry.size()), "/health"));
            c.routes.get("/metrics", ctx -> {
                route(ctx, "/metrics");
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            });
            c.routes.get("/api/openapi.json", ctx -> {
                route(ctx, "/api/openapi.json");
                try (InputStream in = ServeApp.class.getResourceAsStream("openapi.json")) {
                    ctx.contentType("application/json").result(in.readAllBytes());
                }
            });
            c.routes.get("/api/models", ctx -> {
                route(ctx, "/api/models");
                ArrayNode list = Params.JSON.createArrayNode();
                registry.all().forEach(e -> list.add(describe(e)));
                ObjectNode o = Params.JSON.createObjectNode();
                o.set("models", list);
                ArrayNode skipped = Params.JSON.createArrayNode();
                registry.skipped().forEach((id, why) -> skipped.addObject().put("id", id).put("error", why));
                o.set("skipped", skipped);
                json(ctx, 200, o);
            });
            c.routes.post("/api/reload", ctx -> {
                route(ctx, "/api/reload");
                int changed = registry.scan();
                json(ctx, 200, Map.of("changed", changed, "models", registry.size()));
            });
            c.routes.get("/api/models/{id}", ctx -> {
                route(ctx, "/api/models/{id}");
                ModelRegistry.Entry e = entry(ctx);
                ObjectNode o = describe(e);
                o.set("report", e.report());
                o.put("summary", e.summary());
                o.set("charts", Params.JSON.valueToTree(e.charts().keySet()));
                json(ctx, 200, o);
            });
            c.routes.get("/api/models/{id}/charts/{name}", ctx -> {
                route(ctx, "/api/models/{id}/charts/{name}");
                Path chart = entry(ctx).charts().get(ctx.pathParam("name")); // one of the run's own charts, by exact name
                if (chart == null) {
                    throw ApiError.notFound("no chart '" + Params.clip(ctx.pathParam("name")) + "' in this run");
                }
                byte[] png;
                try {
                    png = java.nio.file.Files.readAllBytes(chart);
                } catch (IOException ex) {
                    throw ApiError.notFound("the chart is gone (the run was replaced?)");
                }
                ctx.contentType("image/png").result(png);
            });
            c.routes.get("/api/models/{id}/recommend", this::recommend);
            c.routes.post("/api/models/{id}/recommend", this::recommendNew);
            c.routes.get("/api/models/{id}/similar", this::similar);
            c.routes.get("/api/models/{id}/predict", this::predictRating);
            c.routes.post("/api/models/{id}/predict", this::predict);
            c.routes.post("/api/models/{id}/feedback", this::feedback);
            c.routes.get("/api/models/{id}/biases", ctx -> {
                CollabServed cs = collab(ctx, "/api/models/{id}/biases");
                int k = Params.intParam(ctx, "k", 15, 1, config.limits().maxK());
                json(ctx, 200, Map.of("lowest", items(cs.biases(k, false)), "highest", items(cs.biases(k, true))));
            });
            c.routes.get("/api/models/{id}/pca", ctx -> {
                CollabServed cs = collab(ctx, "/api/models/{id}/pca");
                json(ctx, 200, cs.pca(Params.intParam(ctx, "n", 1000, 3, 5000)));
            });
            c.routes.get("/api/models/{id}/movies", ctx -> {
                CollabServed cs = collab(ctx, "/api/models/{id}/movies");
                json(ctx, 200, Map.of("movies", cs.search(Params.required(ctx, "q"), Params.intParam(ctx, "limit", 20, 1, 200))));
            });
            c.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), httpMessage(e)));
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("{} {}: {}", ctx.method(), Params.clip(ctx.path()), DataException.oneLine(String.valueOf(e)));
                error(ctx, 500, "internal error");
            });
            c.routes.error(404, ctx -> {
                if (!isJson(ctx)) {
                    error(ctx, 404, "no such route: " + ctx.method() + " " + Params.clip(ctx.path()));
                }
            });
            c.routes.error(405, ctx -> {
                if (!isJson(ctx)) {
                    error(ctx, 405, "method not allowed");
                }
            });
        });
        app.start();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "serve-reload");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                registry.scan();
            } catch (RuntimeException e) {
                LOG.warn("scanning for models failed: {}", DataException.oneLine(String.valueOf(e.getMessage())));
            }
        }, config.pollMs(), config.pollMs(), TimeUnit.MILLISECONDS);
    }

    /** Loads the models and starts serving. */
    public static ServeApp start(ServeConfig config) {
        return new ServeApp(config);
    }

    public int port() {
        return app.port();
    }

    public ModelRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        app.stop();
        registry.all().forEach(e -> e.served().retire());
        for (FeedbackLog l : logs.values()) {
            try {
                l.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", l.file().getFileName(), e.getMessage());
            }
        }
    }

    // ---- plumbing

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Security headers on every answer; the token on every request (compared in constant time, as hashes). */
    private void guard(Context ctx) {
        ctx.attribute("t0", System.nanoTime());
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        if (tokenHash != null) {
            String auth = ctx.header("Authorization");
            String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : "";
            if (!MessageDigest.isEqual(tokenHash, sha256(given))) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiError(401, auth == null ? "this server needs Authorization: Bearer <token>" : "wrong token");
            }
        }
    }

    private static void route(Context ctx, String template) {
        ctx.attribute("route", template);
    }

    private void record(Context ctx, Float ms) {
        String r = ctx.attribute("route");
        Timer.builder("http_server_requests").description("requests by route and status")
                .tags("route", r == null ? "unmatched" : r, "method", ctx.method().name(), "status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram().register(metrics)
                .record((long) (ms * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    private static boolean isJson(Context ctx) {
        String ct = ctx.res().getContentType();
        return ct != null && ct.startsWith("application/json") && ctx.result() != null && ctx.result().startsWith("{");
    }

    private static String httpMessage(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> "no such route";
            case 413 -> "the body is too large";
            default -> Params.clip(String.valueOf(e.getMessage()));
        };
    }

    /** Java class names inside messages ("java.io.IOException: ..."): the client gets the words, not the class. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error): ");

    static void error(Context ctx, int status, String message) {
        message = CLASS_NAME.matcher(String.valueOf(message)).replaceAll("");
        ctx.status(status);
        ctx.contentType("application/json");
        try {
            ctx.result(Params.JSON.writeValueAsBytes(Map.of("error", DataException.oneLine(String.valueOf(message)))));
        } catch (JsonProcessingException e) {
            ctx.result("{\"error\":\"error\"}");
        }
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType("application/json");
        try {
            ctx.result(Params.JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void json(Context ctx, int status, Object body, String template) {
        route(ctx, template);
        json(ctx, status, body);
    }

    private ObjectNode describe(ModelRegistry.Entry e) {
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("id", e.id());
        o.put("module", e.served().module());
        o.put("kind", e.served().kind());
        o.set("metrics", e.metrics());
        o.set("provenance", e.provenance());
        o.put("loaded_at", e.loadedAt().toString());
        if (e.served() instanceof CollabServed c) {
            o.put("users", c.model().users().size() - 1);
            o.put("movies", c.model().movies().size() - 1);
            o.put("fold_in", c.foldable());
        } else if (e.served() instanceof TabularServed t) {
            o.set("columns", Params.JSON.valueToTree(t.columns()));
            o.set("fields", Params.JSON.valueToTree(t.fields()));
            o.put("target", t.model().pipeline().yName());
            o.set("classes", Params.JSON.valueToTree(t.model().classes()));
        } else if (e.served() instanceof VisionServed v) {
            o.set("classes", Params.JSON.valueToTree(v.input().classes()));
            o.put("image_size", v.input().size());
            o.put("channels", v.input().channels());
            o.put("mnist", v.input().isMnist());
        }
        return o;
    }

    private ModelRegistry.Entry entry(Context ctx) {
        ModelRegistry.Entry e = registry.get(ctx.pathParam("id"));
        if (e == null) {
            throw ApiError.notFound("no model '" + Params.clip(ctx.pathParam("id")) + "' (GET /api/models lists them)");
        }
        return e;
    }

    private CollabServed collab(Context ctx, String template) {
        route(ctx, template);
        ModelRegistry.Entry e = entry(ctx);
        if (!(e.served() instanceof CollabServed c)) {
            throw ApiError.notFound("model '" + e.id() + "' is a " + e.served().module() + " model; this route is for collab models");
        }
        return c;
    }

    // ---- collab

    private static List<Map<String, Object>> items(List<CollabServed.Item> items) {
        return items.stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("title", i.title());
            m.put("score", i.score());
            return m;
        }).toList();
    }

    private void recommend(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/recommend");
        String user = Params.required(ctx, "user");
        int k = Params.intParam(ctx, "k", 10, 1, config.limits().maxK());
        json(ctx, 200, Map.of("user", user, "items", items(c.recommend(user, k))));
    }

    private void recommendNew(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/recommend");
        ObjectNode body = Params.jsonObject(ctx);
        int k = (int) Params.wholeNumber(body.get("k"), "k", 10, 1, config.limits().maxK());
        JsonNode rated = body.get("rated");
        if (!(rated instanceof ObjectNode r) || r.isEmpty()) {
            throw ApiError.badRequest("rated: expected an object of movie titles or ids to ratings, e.g. {\"Fargo (1996)\": 4}");
        }
        if (r.size() > 1000) {
            throw ApiError.tooLarge("rated: at most 1000 movies");
        }
        Map<Integer, Double> byMovie = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            double rating = Params.number(f.getValue(), "rated[" + Params.clip(f.getKey()) + "]");
            checkRating(c, rating, "rated[" + Params.clip(f.getKey()) + "]");
            if (f.getKey().isBlank()) {
                throw ApiError.badRequest("rated: an empty movie title");
            }
            byMovie.put(c.movie(f.getKey().strip(), false), rating);
        }
        json(ctx, 200, Map.of("items", items(c.recommendNew(byMovie, k))));
    }

    private static void checkRating(CollabServed c, double rating, String field) {
        if (rating < c.low() || rating > c.high()) {
            throw ApiError.unprocessable(field + ": " + rating + " is outside the model's rating range " + c.low() + ".." + c.high());
        }
    }

    private int movieParam(Context ctx, CollabServed c) {
        String title = ctx.queryParam("movie");
        String id = ctx.queryParam("movie_id");
        if ((title == null) == (id == null)) {
            throw ApiError.badRequest("give movie (a title) or movie_id (one of them)");
        }
        return id != null ? c.movie(Params.required(ctx, "movie_id"), true) : c.movie(Params.required(ctx, "movie"), false);
    }

    private void similar(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/similar");
        int movie = movieParam(ctx, c);
        int k = Params.intParam(ctx, "k", 10, 1, config.limits().maxK());
        int minRatings = Params.intParam(ctx, "min_ratings", 20, 0, Integer.MAX_VALUE);
        CollabModel m = c.model();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("movie", Map.of("id", m.movies().id(movie), "title", m.title(movie)));
        out.put("items", items(c.similar(movie, k, minRatings)));
        json(ctx, 200, out);
    }

    private void predictRating(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/predict");
        String user = Params.required(ctx, "user");
        int movie = movieParam(ctx, c);
        json(ctx, 200, Map.of("user", user, "movie_id", c.model().movies().id(movie), "rating", c.predict(user, movie)));
    }

    private FeedbackLog log(String id) {
        return logs.computeIfAbsent(id, x -> new FeedbackLog(config.feedbackDir().resolve(x + ".csv")));
    }

    /** Publishes a loaded model; a collab model first folds in its feedback log, under the log's lock. */
    private void publish(ModelRegistry.Entry e, Runnable put) {
        if (!(e.served() instanceof CollabServed c)) {
            put.run();
            return;
        }
        FeedbackLog log = log(e.id());
        synchronized (log) {
            try {
                List<FeedbackLog.Row> rows = log.readAll();
                int skipped = c.applyAll(rows);
                if (!rows.isEmpty()) {
                    LOG.info("model {}: folded in {} feedback lines from {}{}", e.id(), rows.size() - skipped, log.file().getFileName(),
                            skipped > 0 ? " (" + skipped + " skipped: movies or users this model cannot take)" : "");
                }
            } catch (IOException | RuntimeException ex) {
                LOG.warn("model {}: feedback log not folded in: {}", e.id(), DataException.oneLine(String.valueOf(ex.getMessage())));
            }
            put.run();
        }
    }

    private void feedback(Context ctx) {
        CollabServed c = collab(ctx, "/api/models/{id}/feedback");
        String id = ctx.pathParam("id");
        ObjectNode body = Params.jsonObject(ctx);
        String user = Params.id(body.get("user"), "user");
        if (!USER_ID.matcher(user).matches()) {
            throw ApiError.badRequest("user: an id of 1 to 64 letters, digits or _.:@-");
        }
        String movieId = Params.id(body.get("movie_id"), "movie_id");
        double rating = Params.number(body.get("rating"), "rating");
        long timestamp = Params.wholeNumber(body.get("timestamp"), "timestamp", Instant.now().getEpochSecond(), 0, 100_000_000_000L);
        int movie = c.movie(movieId, true);
        checkRating(c, rating, "rating");
        c.checkFeedback(user);
        FeedbackLog log = log(id);
        boolean folded;
        synchronized (log) {
            try {
                log.append(new FeedbackLog.Row(user, movieId, rating, timestamp));
            } catch (IOException e) {
                LOG.warn("feedback for {} not written: {}", id, DataException.reason(e));
                throw new ApiError(503, "the feedback could not be written; it was not recorded");
            }
            // the model now published (a reload may have replaced the one this request started with)
            ModelRegistry.Entry now = registry.get(id);
            CollabServed cur = now != null && now.served() instanceof CollabServed x ? x : c;
            folded = cur.model().movies().contains(movieId) && (cur.foldable() || cur.model().users().contains(user))
                    && cur.apply(user, cur.model().movies().index(movieId), rating);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "recorded");
        out.put("user", user);
        out.put("movie_id", movieId);
        out.put("rating", rating);
        out.put("timestamp", timestamp);
        out.put("folded", folded);
        json(ctx, 201, out);
    }

    // ---- predict: tabular rows, vision images

    private void predict(Context ctx) {
        route(ctx, "/api/models/{id}/predict");
        Served s = entry(ctx).served();
        if (s instanceof TabularServed t) {
            predictRows(ctx, t);
        } else if (s instanceof VisionServed v) {
            predictImage(ctx, v);
        } else {
            throw ApiError.notFound("POST predict is for tabular and vision models; a collab model answers GET predict?user=&movie_id=");
        }
    }

    private void predictRows(Context ctx, TabularServed t) {
        String type = Params.mediaType(ctx);
        String csv;
        if (type.equals("text/csv")) {
            csv = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
            long lines = csv.lines().filter(l -> !l.isBlank()).count();
            if (lines - 1 > config.limits().maxRows()) {
                throw ApiError.tooLarge("at most " + config.limits().maxRows() + " rows per request");
            }
            if (lines < 2) {
                throw ApiError.badRequest("the CSV body needs a header line and at least one row");
            }
        } else if (type.equals("application/json")) {
            csv = RowsCsv.of(Params.jsonObject(ctx), config.limits().maxRows());
        } else {
            throw ApiError.unsupported("send rows as application/json {\"rows\": [...]} or as text/csv");
        }
        List<TabularServed.Prediction> p = t.predictCsv(csv, type.equals("text/csv") ? null : ",");
        json(ctx, 200, Map.of("predictions", p.stream().map(x -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prediction", x.prediction());
            if (x.probabilities() != null) {
                m.put("probabilities", x.probabilities());
            }
            return m;
        }).toList()));
    }

    private void predictImage(Context ctx, VisionServed v) {
        String type = Params.mediaType(ctx);
        byte[] image;
        if (type.equals("multipart/form-data")) {
            if (ctx.req().getContentLengthLong() > config.limits().maxBodyBytes()) {
                throw ApiError.tooLarge("the body is too large (at most " + config.limits().maxBodyBytes() + " bytes)");
            }
            UploadedFile f;
            try {
                f = ctx.uploadedFile("image");
            } catch (HttpResponseException e) {
                throw e;
            } catch (Exception e) { // Jetty's parser throws ServletException (unchecked from Kotlin) on a damaged body
                StringBuilder chain = new StringBuilder(); // Jetty wraps the reason ("max file size exceeded") in "bad multipart"
                for (Throwable t = e; t != null && chain.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
                    chain.append(t.getMessage()).append(' ');
                }
                String m = chain.toString().toLowerCase(java.util.Locale.ROOT);
                if (m.contains("size") || m.contains("exceed") || m.contains("too large") || m.contains("max")) {
                    throw ApiError.tooLarge("the image is too large (at most " + config.limits().maxImageBytes() + " bytes)");
                }
                throw ApiError.badRequest("cannot read the multipart body (truncated?)");
            }
            if (f == null) {
                throw ApiError.badRequest("the multipart body has no part named 'image'");
            }
            if (f.size() > config.limits().maxImageBytes()) {
                throw ApiError.tooLarge("the image is too large (at most " + config.limits().maxImageBytes() + " bytes)");
            }
            try (InputStream in = f.content()) {
                image = in.readAllBytes();
            } catch (IOException e) {
                throw ApiError.badRequest("cannot read the uploaded image");
            }
        } else if (type.equals("image/png") || type.equals("image/jpeg") || type.equals("application/octet-stream")) {
            image = ctx.bodyAsBytes();
        } else {
            throw ApiError.unsupported("send the image as image/png, image/jpeg or multipart/form-data with a part 'image'");
        }
        if (image.length > config.limits().maxImageBytes()) {
            throw ApiError.tooLarge("the image is too large (at most " + config.limits().maxImageBytes() + " bytes)");
        }
        if (image.length == 0) {
            throw ApiError.badRequest("no image in the body");
        }
        int top = Params.intParam(ctx, "top", v.input().isMnist() ? 10 : 5, 1, 10_000);
        VisionServed.Answer a = v.predict(image, top);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("predictions", a.predictions());
        out.put("notes", a.notes());
        json(ctx, 200, out);
    }

    /** Jetty's own errors (a request it refuses before routing, e.g. a malformed URI) as JSON too. */
    private static final class JsonErrorHandler extends ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true; // Jetty answers only GET, POST and HEAD with a body by default: every error here is JSON
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            byte[] body;
            try {
                body = Params.JSON.writeValueAsBytes(Map.of("error", code == 404 ? "no such route"
                        : message == null ? "bad request" : DataException.oneLine(Params.clip(message))));
            } catch (JsonProcessingException e) {
                body = "{\"error\":\"error\"}".getBytes(StandardCharsets.US_ASCII);
            }
            response.getHeaders().put("Content-Type", "application/json");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    /** Where feedback logs go (for messages). */
    public Path feedbackDir() {
        return config.feedbackDir();
    }
}

package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.collab.CollabServed;
import io.github.fastdl4j.serve.registry.ModelRegistry;
import io.github.fastdl4j.serve.tabular.TabularServed;
import io.github.fastdl4j.serve.vision.VisionServed;
import io.github.fastdl4j.tabular.model.TabularPredictor;
import io.github.fastdl4j.vision.model.VisionModel;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.github.fastdl4j.serve.http.Responses.error;
import static io.github.fastdl4j.serve.http.Responses.json;
import static io.github.fastdl4j.serve.http.Responses.route;

/**
 * The HTTP server: the JSON API over a {@link ModelRegistry}, health, Prometheus metrics and the
 * OpenAPI document, on Javalin (Jetty 12). Every answer that is not a success is
 * {@code {"error": "..."}} with its status; with a token, every request needs
 * {@code Authorization: Bearer <token>}.
 *
 * <p>Here: the Javalin and Jetty setup, the route table, security headers and the token guard, the
 * error mapping, the model list and lifecycle. The collab routes are in {@code CollabRoutes}, POST
 * predict for tabular and vision in {@code PredictRoutes}, the feedback logs in {@code FeedbackLogs},
 * and how every route answers in {@code Responses}.
 */
public final class ServeApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServeApp.class);
    // blob: for the charts and pictures the pages fetch with the token and show from memory
    static final String CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
            + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /**
     * The web app's shell: pages, scripts and styles from the jar, which hold no data, load without
     * the token (a browser cannot send a header when it opens a page); every data route needs it.
     */
    static final Set<String> SHELL = Set.of("/", "/index.html", "/run.html", "/app.js", "/runs.js", "/run.js",
            "/style.css");

    private final ServeConfig config;
    private final ModelRegistry registry;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary batchSizes;
    private final FeedbackLogs logs;
    private final byte[] tokenHash;
    private final ScheduledExecutorService poller;
    private final VisionRoutes vision;
    private final Javalin app;

    private ServeApp(ServeConfig config) {
        this.config = config;
        this.tokenHash = config.token() == null ? null : sha256(config.token());
        this.batchSizes = DistributionSummary.builder("fastdl4j_vision_batch_size").description("images per forward pass")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(metrics);
        DistributionSummary tabularBatches = DistributionSummary.builder("fastdl4j_tabular_batch_size")
                .description("requests per forward pass").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(metrics);
        Map<VisionServed, Path> visionFiles = VisionRoutes.fileMap();
        Map<String, ModelRegistry.Loader> loaders = Map.of(
                "collab", (id, zip, a) -> new CollabServed(CollabModel.load(zip)),
                "tabular", (id, zip, a) -> new TabularServed(id, TabularPredictor.load(zip), config.maxBatch(), config.maxWaitMs(),
                        tabularBatches::record),
                "vision", (id, zip, a) -> {
                    VisionServed v = new VisionServed(id, VisionModel.load(zip), config.maxBatch(), config.maxWaitMs(),
                            config.limits().maxPixels(), batchSizes::record);
                    visionFiles.put(v, zip);
                    return v;
                });
        this.logs = new FeedbackLogs(config.feedbackDir());
        this.registry = new ModelRegistry(config.runs(), config.modelFiles(), loaders, logs::publish);
        Gauge.builder("fastdl4j_models_loaded", registry, ModelRegistry::size).description("models served").register(metrics);
        registry.scan();
        CollabRoutes collab = new CollabRoutes(config.limits(), registry, logs);
        PredictRoutes predict = new PredictRoutes(config.limits(), registry);
        this.vision = new VisionRoutes(registry, visionFiles);
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
                sf.location = Location.CLASSPATH;
            });
            c.staticFiles.enableWebjars();
            c.requestLogger.http((ctx, ms) -> record(ctx, ms));
            c.routes.before(this::guard);
            // whether a token is needed and whether the one sent is right, always 200: the pages ask before they
            // load data, so a browser shows a token form rather than logging 401s
            c.routes.get("/api/auth", ctx -> json(ctx, 200, Map.of("token_required", tokenHash != null,
                    "valid", tokenHash == null || tokenMatches(ctx)), "/api/auth"));
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
                    png = Files.readAllBytes(chart);
                } catch (IOException ex) {
                    throw ApiError.notFound("the chart is gone (the run was replaced?)");
                }
                ctx.contentType("image/png").result(png);
            });
            c.routes.get("/api/models/{id}/recommend", collab::recommend);
            c.routes.post("/api/models/{id}/recommend", collab::recommendNew);
            c.routes.get("/api/models/{id}/similar", collab::similar);
            c.routes.get("/api/models/{id}/predict", collab::predictRating);
            c.routes.post("/api/models/{id}/predict", predict::predict);
            c.routes.post("/api/models/{id}/feedback", collab::feedback);
            c.routes.get("/api/models/{id}/biases", collab::biases);
            c.routes.get("/api/models/{id}/pca", collab::pca);
            c.routes.get("/api/models/{id}/movies", collab::movies);
            c.routes.get("/api/models/{id}/confusion", vision::confusion);
            c.routes.get("/api/models/{id}/top-losses", vision::topLosses);
            c.routes.get("/api/models/{id}/top-losses/{rank}.png", vision::topLossImage);
            c.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), httpMessage(e)));
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("{} {}: {}", ctx.method(), Params.clip(ctx.path()), BadInputException.oneLine(String.valueOf(e)));
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
                LOG.warn("scanning for models failed: {}", BadInputException.oneLine(String.valueOf(e.getMessage())));
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
        vision.close();
        registry.all().forEach(e -> e.served().retire());
        logs.close();
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
        if (tokenHash != null && !isPublic(ctx) && !tokenMatches(ctx)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiError(401, ctx.header("Authorization") == null ? "this server needs Authorization: Bearer <token>"
                    : "wrong token");
        }
    }

    /** The page shell, uPlot's WebJar and /api/auth: GET or HEAD, no data. */
    private static boolean isPublic(Context ctx) {
        String m = ctx.method().name();
        if (!m.equals("GET") && !m.equals("HEAD")) {
            return false;
        }
        String p = ctx.path();
        return SHELL.contains(p) || p.equals("/api/auth") || (p.startsWith("/webjars/") && !p.contains(".."));
    }

    private boolean tokenMatches(Context ctx) {
        String auth = ctx.header("Authorization");
        String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : "";
        return MessageDigest.isEqual(tokenHash, sha256(given));
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
            o.put("fold_in", c.foldsInNewUsers());
            o.put("feedback_refit", c.feedbackRefit());
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
        return Responses.entry(registry, ctx);
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
                        : message == null ? "bad request" : BadInputException.oneLine(Params.clip(message))));
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

package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.serve.registry.ModelRegistry;
import io.github.fastdl4j.serve.vision.ValidationInterpretation;
import io.github.fastdl4j.serve.vision.VisionServed;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.github.fastdl4j.serve.http.Responses.json;
import static io.github.fastdl4j.serve.http.Responses.route;

/**
 * A vision model's confusion matrix and top losses on the validation images its run recorded
 * ({@link ValidationInterpretation}), computed on the first request for a loaded model, one model at
 * a time on a thread of its own, and kept while that model is served; a request waits at most
 * {@link #WAIT_MS} and otherwise gets a 503 with Retry-After (the work goes on).
 */
final class VisionRoutes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VisionRoutes.class);
    static final long WAIT_MS = 20_000;

    private final ModelRegistry registry;
    /** Each loaded vision model's file (the registry's loader records it). */
    private final Map<VisionServed, Path> files;
    private final Map<VisionServed, CompletableFuture<ValidationInterpretation>> done = Collections.synchronizedMap(new WeakHashMap<>());
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "serve-interpret");
        t.setDaemon(true);
        return t;
    });

    /** @param files where each loaded vision model came from (weak keys: filled by the registry's loader) */
    VisionRoutes(ModelRegistry registry, Map<VisionServed, Path> files) {
        this.registry = registry;
        this.files = files;
    }

    /** A map for {@link #VisionRoutes}'s files. */
    static Map<VisionServed, Path> fileMap() {
        return Collections.synchronizedMap(new WeakHashMap<>());
    }

    void confusion(Context ctx) {
        route(ctx, "/api/models/{id}/confusion");
        ValidationInterpretation r = interpretation(ctx);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("classes", r.classes());
        out.put("matrix", r.counts());
        out.put("images", r.images());
        out.put("accuracy", r.accuracy());
        out.put("loss", r.loss());
        out.put("validation", r.source());
        if (r.warning() != null) {
            out.put("warning", r.warning());
        }
        out.put("most_confused", r.mostConfused());
        json(ctx, 200, out);
    }

    void topLosses(Context ctx) {
        route(ctx, "/api/models/{id}/top-losses");
        int k = Params.intParam(ctx, "k", 9, 1, ValidationInterpretation.MAX_TOP);
        ValidationInterpretation r = interpretation(ctx);
        String base = "/api/models/" + ctx.pathParam("id") + "/top-losses/";
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < Math.min(k, r.top().size()); i++) {
            ValidationInterpretation.TopLoss t = r.top().get(i);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("rank", i);
            o.put("image", t.image());
            o.put("actual", t.actual());
            o.put("predicted", t.predicted());
            o.put("loss", t.loss());
            o.put("probability", t.probability());
            o.put("png", base + i + ".png");
            items.add(o);
        }
        json(ctx, 200, Map.of("items", items, "validation", r.source(), "images", r.images()));
    }

    void topLossImage(Context ctx) {
        route(ctx, "/api/models/{id}/top-losses/{rank}.png");
        String rank = ctx.pathParam("rank");
        if (!rank.matches("\\d{1,3}")) {
            throw ApiError.notFound("no such top loss: a rank is 0.." + (ValidationInterpretation.MAX_TOP - 1));
        }
        ValidationInterpretation r = interpretation(ctx);
        int i = Integer.parseInt(rank);
        if (i >= r.top().size()) {
            throw ApiError.notFound("no top loss " + i + ": there are " + r.top().size());
        }
        ctx.contentType("image/png").result(r.top().get(i).png());
    }

    private ValidationInterpretation interpretation(Context ctx) {
        ModelRegistry.Entry e = Responses.entry(registry, ctx);
        if (!(e.served() instanceof VisionServed v)) {
            throw ApiError.notFound("the confusion matrix and top losses are for vision models");
        }
        Path zip = files.get(v);
        if (zip == null) {
            throw ApiError.unprocessable("this model's file is not known");
        }
        JsonNode config = e.provenance().has("config") ? e.provenance().get("config") : e.report().path("config");
        CompletableFuture<ValidationInterpretation> f;
        synchronized (done) {
            f = done.computeIfAbsent(v, x -> CompletableFuture.supplyAsync(() -> ValidationInterpretation.compute(zip, config), worker));
        }
        try {
            return f.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException t) {
            ctx.header("Retry-After", "5");
            throw new ApiError(503, "computing the confusion matrix on the validation images; ask again in a few seconds");
        } catch (InterruptedException t) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted");
        } catch (ExecutionException t) {
            done.remove(v, f); // not kept: the data may be put in place and asked for again
            Throwable c = t.getCause();
            if (c instanceof ValidationInterpretation.Unavailable || c instanceof BadInputException) {
                throw ApiError.unprocessable("no validation data for this model: " + BadInputException.oneLine(String.valueOf(c.getMessage())));
            }
            LOG.warn("interpreting {} failed: {}", e.id(), BadInputException.oneLine(String.valueOf(c)));
            throw new ApiError(500, "internal error");
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}

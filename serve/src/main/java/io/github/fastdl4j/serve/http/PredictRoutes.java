package io.github.fastdl4j.serve.http;

import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.registry.ModelRegistry;
import io.github.fastdl4j.serve.registry.Served;
import io.github.fastdl4j.serve.tabular.TabularServed;
import io.github.fastdl4j.serve.vision.VisionServed;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.github.fastdl4j.serve.http.Responses.json;
import static io.github.fastdl4j.serve.http.Responses.route;

/**
 * {@code POST /api/models/{id}/predict} for tabular and vision models: rows as JSON or CSV, an image
 * raw or as a multipart part. Apart from {@link ServeApp} because reading and capping those bodies is
 * its own work; a collab model's GET predict is in {@link CollabRoutes}.
 */
final class PredictRoutes {

    private final ServeConfig.Limits limits;
    private final ModelRegistry registry;

    PredictRoutes(ServeConfig.Limits limits, ModelRegistry registry) {
        this.limits = limits;
        this.registry = registry;
    }

    void predict(Context ctx) {
        route(ctx, "/api/models/{id}/predict");
        Served s = Responses.entry(registry, ctx).served();
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
            if (lines - 1 > limits.maxRows()) {
                throw ApiError.tooLarge("at most " + limits.maxRows() + " rows per request");
            }
            if (lines < 2) {
                throw ApiError.badRequest("the CSV body needs a header line and at least one row");
            }
        } else if (type.equals("application/json")) {
            csv = RowsCsv.of(Params.jsonObject(ctx), limits.maxRows());
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
            if (ctx.req().getContentLengthLong() > limits.maxBodyBytes()) {
                throw ApiError.tooLarge("the body is too large (at most " + limits.maxBodyBytes() + " bytes)");
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
                String m = chain.toString().toLowerCase(Locale.ROOT);
                if (m.contains("size") || m.contains("exceed") || m.contains("too large") || m.contains("max")) {
                    throw ApiError.tooLarge("the image is too large (at most " + limits.maxImageBytes() + " bytes)");
                }
                throw ApiError.badRequest("cannot read the multipart body (truncated?)");
            }
            if (f == null) {
                throw ApiError.badRequest("the multipart body has no part named 'image'");
            }
            if (f.size() > limits.maxImageBytes()) {
                throw ApiError.tooLarge("the image is too large (at most " + limits.maxImageBytes() + " bytes)");
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
        if (image.length > limits.maxImageBytes()) {
            throw ApiError.tooLarge("the image is too large (at most " + limits.maxImageBytes() + " bytes)");
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
}

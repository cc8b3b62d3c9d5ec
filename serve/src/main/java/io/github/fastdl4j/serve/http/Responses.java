package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.serve.registry.ModelRegistry;
import io.javalin.http.Context;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How every route answers: a JSON body with its status, {@code {"error": "..."}} for a failure, the
 * route template the metrics count it under, and the model a {@code /api/models/{id}/...} path names.
 * Shared by {@link ServeApp}, {@link CollabRoutes} and {@link PredictRoutes}, so all three answer alike.
 */
final class Responses {

    /** Java class names inside messages ("java.io.IOException: ..."): the client gets the words, not the class. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error): ");

    private Responses() {
    }

    static void error(Context ctx, int status, String message) {
        message = CLASS_NAME.matcher(String.valueOf(message)).replaceAll("");
        ctx.status(status);
        ctx.contentType("application/json");
        try {
            ctx.result(Params.JSON.writeValueAsBytes(Map.of("error", BadInputException.oneLine(String.valueOf(message)))));
        } catch (JsonProcessingException e) {
            ctx.result("{\"error\":\"error\"}");
        }
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType("application/json");
        try {
            ctx.result(Params.JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void json(Context ctx, int status, Object body, String template) {
        route(ctx, template);
        json(ctx, status, body);
    }

    /** The route template the request metrics count this request under. */
    static void route(Context ctx, String template) {
        ctx.attribute("route", template);
    }

    /** The model the path's {@code {id}} names, or a 404. */
    static ModelRegistry.Entry entry(ModelRegistry registry, Context ctx) {
        ModelRegistry.Entry e = registry.get(ctx.pathParam("id"));
        if (e == null) {
            throw ApiError.notFound("no model '" + Params.clip(ctx.pathParam("id")) + "' (GET /api/models lists them)");
        }
        return e;
    }
}

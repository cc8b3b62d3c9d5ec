package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;

/** Reading a request's parameters and JSON body, each mistake a 400 (or 415) naming the field. */
public final class Params {

    static final ObjectMapper JSON = new ObjectMapper();

    private Params() {
    }

    /** An integer query parameter in [min, max], or the default when absent. */
    public static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        return intIn(name, v.strip(), min, max);
    }

    static int intIn(String name, String v, int min, int max) {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw ApiError.badRequest(name + ": " + n + " is out of range (" + min + ".." + max + ")");
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + ": expected a whole number, got '" + clip(v) + "'");
        }
    }

    /** A required, non-blank query parameter. */
    public static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            throw ApiError.badRequest("missing query parameter '" + name + "'");
        }
        if (v.length() > 1000) {
            throw ApiError.badRequest(name + ": longer than 1000 characters");
        }
        return v.strip();
    }

    /** The body as a JSON object; 415 when not sent as JSON, 400 when not a JSON object. */
    public static ObjectNode jsonObject(Context ctx) {
        requireType(ctx, "application/json");
        JsonNode n;
        try {
            n = JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw ApiError.badRequest("the body is not valid JSON");
        }
        if (!(n instanceof ObjectNode o)) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        return o;
    }

    /** The request's media type (lowercase, without parameters), or "" when none. */
    public static String mediaType(Context ctx) {
        String ct = ctx.header("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi >= 0 ? ct.substring(0, semi) : ct).strip().toLowerCase(Locale.ROOT);
    }

    static void requireType(Context ctx, String type) {
        if (!mediaType(ctx).equals(type)) {
            throw ApiError.unsupported("send the body as " + type + " (got '" + clip(mediaType(ctx)) + "')");
        }
    }

    /**
     * An id (user or movie) given as a JSON string or number: the model's vocabulary decides, so a
     * whole number is its digits ({@code 42} and {@code "42"} are the same id).
     */
    public static String id(JsonNode n, String field) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            throw ApiError.badRequest("missing field '" + field + "'");
        }
        if (n.isTextual()) {
            String s = n.asText().strip();
            if (s.isEmpty() || s.length() > 200) {
                throw ApiError.badRequest(field + ": expected a non-empty id of at most 200 characters");
            }
            return s;
        }
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().toString();
        }
        if (n.isNumber() && Double.isFinite(n.doubleValue())) {
            BigDecimal d = n.decimalValue();
            try {
                return d.toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                throw ApiError.badRequest(field + ": an id is a string or a whole number, got " + clip(n.toString()));
            }
        }
        throw ApiError.badRequest(field + ": an id is a string or a whole number, got " + clip(n.toString()));
    }

    /** A finite number field. */
    public static double number(JsonNode n, String field) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            throw ApiError.badRequest("missing field '" + field + "'");
        }
        if (!n.isNumber()) {
            throw ApiError.badRequest(field + ": expected a number, got " + clip(n.toString()));
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            throw ApiError.badRequest(field + ": expected a finite number, got " + clip(n.toString()));
        }
        return d;
    }

    /** An optional whole-number field in [min, max], or the default. */
    public static long wholeNumber(JsonNode n, String field, long dflt, long min, long max) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return dflt;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue()))) {
            throw ApiError.badRequest(field + ": expected a whole number, got " + clip(n.toString()));
        }
        BigDecimal d = n.decimalValue();
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiError.badRequest(field + ": " + clip(n.toString()) + " is out of range (" + min + ".." + max + ")");
        }
        return d.longValue();
    }

    /** A value quoted in a message: at most 60 characters. */
    public static String clip(String s) {
        String one = s.replaceAll("[\\p{Cntrl}]", "?");
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }
}

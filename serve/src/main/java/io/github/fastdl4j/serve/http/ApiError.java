package io.github.fastdl4j.serve.http;

/**
 * A request the server refuses: the status and one line for the client, answered as
 * {@code {"error": message}} (never a stack trace).
 */
public final class ApiError extends RuntimeException {

    private final int status;

    public ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 400: the request is malformed (bad JSON, wrong types, a missing or out-of-range parameter). */
    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    /** 404: no such model or route. */
    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    /** 413: over a cap on the body, the image or the rows. */
    public static ApiError tooLarge(String message) {
        return new ApiError(413, message);
    }

    /** 415: a body of a content type the route does not read. */
    public static ApiError unsupported(String message) {
        return new ApiError(415, message);
    }

    /** 422: well-formed, but meaningless to the model (an unknown user or movie, a column the model lacks). */
    public static ApiError unprocessable(String message) {
        return new ApiError(422, message);
    }
}

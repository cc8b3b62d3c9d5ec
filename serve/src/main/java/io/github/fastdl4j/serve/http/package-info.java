/**
 * The HTTP API and web app on Javalin: the server and its route table ({@code ServeApp}), the collab
 * routes ({@code CollabRoutes}) and their feedback logs ({@code FeedbackLogs}), POST predict for
 * tabular and vision ({@code PredictRoutes}), how every route answers ({@code Responses}), request
 * parameters and bodies ({@code Params}, {@code RowsCsv}), JSON errors with their statuses ({@code ApiError}).
 *
 * <p>Imported by {@code serve.cli}. Answers come from {@code serve.registry}'s served models; no
 * route takes a file path.
 */
package io.github.fastdl4j.serve.http;

/**
 * The HTTP API and web app on Javalin: routes ({@code ServeApp}), request parameters and bodies
 * ({@code Params}, {@code RowsCsv}), JSON errors with their statuses ({@code ApiError}).
 *
 * <p>Imported by {@code serve.cli}. Answers come from {@code serve.registry}'s served models; no
 * route takes a file path.
 */
package io.github.fastdl4j.serve.http;

/**
 * serve's command line: {@code ServeMain} (start the server; usage errors, exit 2, before any model
 * loads) and {@code BenchCommand} (wrk against 127.0.0.1, JSON lines per endpoint).
 *
 * <p>Imported by nobody.
 */
package io.github.fastdl4j.serve.cli;

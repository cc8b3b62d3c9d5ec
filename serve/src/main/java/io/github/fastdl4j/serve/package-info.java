/**
 * The serve module's configuration ({@code ServeConfig}: hosts, ports, caps, batching), shared by
 * its command line and its HTTP app.
 *
 * <p>Imported by the serve packages. Nothing outside serve imports serve.
 */
package io.github.fastdl4j.serve;

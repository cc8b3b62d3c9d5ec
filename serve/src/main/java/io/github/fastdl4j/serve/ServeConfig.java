package io.github.fastdl4j.serve;

import java.nio.file.Path;
import java.util.List;

/**
 * What the server serves and how.
 *
 * @param runs         folders of run folders, scanned for models
 * @param modelFiles   single model zips
 * @param host         the address to bind
 * @param port         the port (0: any free one)
 * @param token        the bearer token every request needs, or null
 * @param feedbackDir  where the feedback logs go
 * @param maxBatch     the largest vision batch
 * @param maxWaitMs    how long a batch waits after its first for more requests already arriving
 * @param pollMs       how often the runs folders are scanned for new or replaced models
 * @param limits       the caps on requests
 */
public record ServeConfig(List<Path> runs, List<Path> modelFiles, String host, int port, String token, Path feedbackDir,
                          int maxBatch, long maxWaitMs, long pollMs, Limits limits) {

    /**
     * Caps on what one request may ask.
     *
     * @param maxBodyBytes  request body
     * @param maxImageBytes an image
     * @param maxPixels     an image's width times height (read from its header, before decoding)
     * @param maxRows       rows per tabular request
     * @param maxK          k of recommend and similar
     */
    public record Limits(long maxBodyBytes, long maxImageBytes, long maxPixels, int maxRows, int maxK) {
        public static Limits defaults() {
            return new Limits(8L << 20, 4L << 20, 4_000_000, 1000, 1000);
        }
    }

    /** The default feedback folder: {@code feedback/} inside the first runs folder. */
    public static Path defaultFeedbackDir(List<Path> runs) {
        return (runs.isEmpty() ? Path.of("runs") : runs.get(0)).resolve("feedback");
    }
}

package io.github.fastdl4j.serve.http;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.serve.collab.CollabServed;
import io.github.fastdl4j.serve.collab.FeedbackLog;
import io.github.fastdl4j.serve.registry.ModelRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The feedback log of each collab model, opened on first use. Apart from {@link CollabRoutes} because
 * the registry needs it before the routes exist: a model is published only after its log is folded in.
 * A log's monitor orders its appends against a reload's fold-in.
 */
final class FeedbackLogs implements AutoCloseable {

    /** Logged under ServeApp, as before this class was split off, so the server's log lines stay the same. */
    private static final Logger LOG = LoggerFactory.getLogger(ServeApp.class);

    private final Path dir;
    private final Map<String, FeedbackLog> logs = new ConcurrentHashMap<>();

    FeedbackLogs(Path dir) {
        this.dir = dir;
    }

    FeedbackLog log(String id) {
        return logs.computeIfAbsent(id, x -> new FeedbackLog(dir.resolve(x + ".csv")));
    }

    /** Publishes a loaded model; a collab model first folds in its feedback log, under the log's lock. */
    void publish(ModelRegistry.Entry e, Runnable put) {
        if (!(e.served() instanceof CollabServed c)) {
            put.run();
            return;
        }
        FeedbackLog log = log(e.id());
        synchronized (log) {
            try {
                List<FeedbackLog.Row> rows = log.readAll();
                int skipped = c.applyAll(rows);
                if (!rows.isEmpty()) {
                    LOG.info("model {}: folded in {} feedback lines from {}{}", e.id(), rows.size() - skipped, log.file().getFileName(),
                            skipped > 0 ? " (" + skipped + " skipped: movies or users this model cannot take)" : "");
                }
            } catch (IOException | RuntimeException ex) {
                LOG.warn("model {}: feedback log not folded in: {}", e.id(), BadInputException.oneLine(String.valueOf(ex.getMessage())));
            }
            put.run();
        }
    }

    @Override
    public void close() {
        for (FeedbackLog l : logs.values()) {
            try {
                l.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", l.file().getFileName(), e.getMessage());
            }
        }
    }
}

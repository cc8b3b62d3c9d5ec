package io.github.fastdl4j.common.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * fastai's {@code SaveModelCallback(every_epoch=True)} for long runs: after every epoch the
 * weights, the optimiser's state and where the fit stands are written to one file (atomically),
 * from which {@link Learner#resumeFrom} continues a killed run at the next epoch.
 */
public final class Checkpoint implements Listener {

    private final Trainable model;
    private final Path file;
    private final Map<String, ?> metadata;

    /**
     * @param metadata JSON entries saved beside it (e.g. the run's config and data checksum, which a
     *                 resumed run checks against its own)
     */
    public Checkpoint(Trainable model, Path file, Map<String, ?> metadata) {
        this.model = model;
        this.file = file;
        this.metadata = metadata;
    }

    @Override
    public void onEpochEnd(TrainingState s, EpochResult r) {
        Map<String, Object> entries = new LinkedHashMap<>(metadata);
        entries.put("fit", s.fitState());
        try {
            ModelArchive.writeCheckpoint(file, model, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkpoint file. */
    public Path file() {
        return file;
    }
}

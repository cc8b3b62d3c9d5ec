package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.common.cli.ParsingConverter;

/** Model names to {@link CollabKind}; a bad name is a usage error (exit code 2). */
final class KindConverter extends ParsingConverter<CollabKind> {
    KindConverter() {
        super(CollabKind::of);
    }
}

package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.module.AdamW;

/** {@code --adam dense|lazy} to {@link AdamW.Mode}; anything else is a usage error (exit code 2). */
public final class AdamModeConverter extends ParsingConverter<AdamW.Mode> {
    public AdamModeConverter() {
        super(AdamW.Mode::of);
    }
}

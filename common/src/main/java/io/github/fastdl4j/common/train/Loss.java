package io.github.fastdl4j.common.train;

/**
 * The old name of {@link io.github.fastdl4j.common.module.Loss}, kept while vision's code still
 * imports it; {@link Losses} returns it, so both names work.
 *
 * @deprecated use {@link io.github.fastdl4j.common.module.Loss}
 */
@Deprecated
public interface Loss extends io.github.fastdl4j.common.module.Loss {
}

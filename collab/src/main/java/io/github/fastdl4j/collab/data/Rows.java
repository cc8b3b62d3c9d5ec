package io.github.fastdl4j.collab.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Collects ratings, checks them against a known scale (MovieLens) or learns the scale from the
 * data (any table), keeps the last of duplicate pairs. Two kinds: {@link StreamedRows} (plain
 * MovieLens files read into primitive columns) and {@link TableRows} (anything read through
 * {@code CsvTable}); {@link RatingsLoader} picks one per file and builds the {@link Ratings} with
 * the metadata it read.
 */
interface Rows {
    Ratings build(Path source, Map<String, MovieInfo> movieInfo, Map<String, UserInfo> userInfo, List<String> genres,
                  String checksum);
}

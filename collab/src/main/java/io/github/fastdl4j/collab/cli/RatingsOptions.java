package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.data.RatingsLoader;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.CsvFormatOptions;
import io.github.fastdl4j.common.data.Datasets;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the ratings come from (a picocli mixin, shared with collab-spark): ml-100k by default, any
 * MovieLens folder ({@code --ratings}, or {@code --data-dir} holding the files), or any table of
 * ratings ({@code --csv} with the names of its user, item and rating columns).
 */
public class RatingsOptions extends CsvFormatOptions {

    @Option(names = "--ratings", paramLabel = "DIR",
            description = "A MovieLens folder of any layout (u.data..., ratings.dat..., ratings.csv...) instead of ml-100k.")
    public Path ratingsDir;

    @Option(names = "--csv", paramLabel = "FILE", description = "Any table of ratings (with --user-col, --item-col, --rating-col).")
    public Path csv;

    @Option(names = "--user-col", paramLabel = "C", description = "The user id column of --csv (default: ${DEFAULT-VALUE}).")
    public String userCol = "user";

    @Option(names = "--item-col", paramLabel = "C", description = "The item id column of --csv (default: ${DEFAULT-VALUE}).")
    public String itemCol = "item";

    @Option(names = "--rating-col", paramLabel = "C", description = "The rating column of --csv (default: ${DEFAULT-VALUE}).")
    public String ratingCol = "rating";

    @Option(names = "--title-col", paramLabel = "C", description = "A column of --csv with the items' titles.")
    public String titleCol;

    @Option(names = "--items", paramLabel = "FILE", description = "A table of items with their titles (with --item-id-col, --item-title-col).")
    public Path items;

    @Option(names = "--item-id-col", paramLabel = "C", description = "The id column of --items (default: ${DEFAULT-VALUE}).")
    public String itemIdCol = "id";

    @Option(names = "--item-title-col", paramLabel = "C", description = "The title column of --items (default: ${DEFAULT-VALUE}).")
    public String itemTitleCol = "title";

    /** The ratings: --csv, --ratings, a --data-dir holding ratings itself, or ml-100k found as a data set. */
    public Ratings load(CommonOptions common) {
        if (csv != null) {
            return RatingsLoader.fromTable(new RatingsLoader.Columns(csv, userCol, itemCol, ratingCol, titleCol, format(), items,
                    itemIdCol, itemTitleCol));
        }
        if (ratingsDir != null) {
            return Ratings.load(ratingsDir);
        }
        Path dir = common.dataDir;
        if (dir != null && List.of("u.data", "ratings.dat", "ratings.csv").stream().anyMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
            return Ratings.load(dir); // a folder of ratings given as the data folder itself
        }
        return Ratings.load(Datasets.resolve("ml-100k", common.dataDir));
    }
}

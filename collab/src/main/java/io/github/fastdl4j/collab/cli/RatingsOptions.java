package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.data.RatingsLoader;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.CsvFormatOptions;
import io.github.fastdl4j.common.data.Datasets;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where the ratings come from (a picocli mixin, shared with collab-spark): ml-100k by default, any
 * MovieLens folder ({@code --ratings}, or {@code --data-dir} holding the files), or any table of
 * ratings ({@code --csv} with the names of its user, item and rating columns).
 */
public class RatingsOptions extends CsvFormatOptions {

    @Option(names = "--ratings", paramLabel = "DIR",
            description = "A MovieLens folder of any layout (u.data..., ratings.dat..., ratings.csv...), or Parquet (a *.parquet "
                    + "file or a folder of parts, with ratings.csv's columns or user, item, rating) instead of ml-100k.")
    public Path ratingsDir;

    @Option(names = "--csv", paramLabel = "FILE", description = "Any table of ratings, CSV or Parquet (with --user-col, --item-col, "
            + "--rating-col).")
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

    /** The options that only describe the --csv table. */
    private static final List<String> CSV_ONLY = List.of("--user-col", "--item-col", "--rating-col", "--title-col", "--items",
            "--sep", "--no-header");

    /** Set by {@link #check}: whether --encoding was given (a MovieLens folder otherwise keeps its own encodings). */
    private boolean encodingGiven;

    /**
     * Options that contradict each other or mean nothing without another are usage errors, found
     * before any data is read: two sources of ratings, the --csv options without --csv, the
     * --items options without --items, one column named for two roles. Every command that loads
     * ratings calls this first with its own command line (what was typed, not the defaults).
     */
    public void check(CommandLine cl) {
        ParseResult given = cl.getParseResult();
        Predicate<String> typed = name -> given != null && given.hasMatchedOption(name);
        encodingGiven = typed.test("--encoding");
        if (csv != null && (ratingsDir != null || typed.test("--data-dir"))) {
            throw new ParameterException(cl, "--csv and " + (ratingsDir != null ? "--ratings" : "--data-dir")
                    + " both name the ratings: give one of them");
        }
        if (ratingsDir != null && typed.test("--data-dir")) {
            throw new ParameterException(cl, "--ratings and --data-dir both name the ratings: give one of them");
        }
        if (csv == null) {
            for (String o : CSV_ONLY) {
                if (typed.test(o)) {
                    throw new ParameterException(cl, o + " describes the table of --csv, and no --csv is given");
                }
            }
        }
        refuseForParquet(cl, csv);
        refuseForParquet(cl, ratingsDir);
        if (items == null) {
            for (String o : List.of("--item-id-col", "--item-title-col")) {
                if (typed.test(o)) {
                    throw new ParameterException(cl, o + " describes the table of --items, and no --items is given");
                }
            }
        }
        if (csv != null) {
            Map<String, String> roles = new LinkedHashMap<>();
            roles.put("--user-col", userCol);
            roles.put("--item-col", itemCol);
            roles.put("--rating-col", ratingCol);
            if (titleCol != null) {
                roles.put("--title-col", titleCol);
            }
            Map<String, String> byColumn = new LinkedHashMap<>();
            roles.forEach((option, column) -> {
                String other = byColumn.putIfAbsent(column, option);
                if (other != null) {
                    throw new ParameterException(cl, other + " and " + option + " both name column '" + column
                            + "': each role needs its own column");
                }
            });
        }
        if (items != null && itemIdCol.equals(itemTitleCol)) {
            throw new ParameterException(cl, "--item-id-col and --item-title-col both name column '" + itemIdCol
                    + "': each role needs its own column");
        }
    }

    /**
     * Leaves out of a run's recorded configuration the options that did not apply to it: the --csv
     * table's options without --csv, the --items options without --items, and --encoding for a
     * MovieLens folder read in its files' own encodings (metrics.json records the settings used).
     */
    public void leaveOutUnused(Map<String, Object> config) {
        if (csv == null) {
            for (String o : CSV_ONLY) {
                config.remove(o.substring(2).replace('-', '_'));
            }
            if (!encodingGiven) {
                config.remove("encoding");
            }
        }
        if (items == null) {
            config.remove("item_id_col");
            config.remove("item_title_col");
        }
    }

    /** The ratings: --csv, --ratings, a --data-dir holding ratings itself, or ml-100k found as a data set. */
    public Ratings load(CommonOptions common) {
        if (csv != null) {
            return RatingsLoader.fromTable(new RatingsLoader.Columns(csv, userCol, itemCol, ratingCol, titleCol, format(), items,
                    itemIdCol, itemTitleCol));
        }
        // a MovieLens folder's files have their own encodings (u.item is Latin-1): --encoding, when given, overrides them
        Charset cs = encodingGiven ? encoding : null;
        if (ratingsDir != null) {
            return RatingsLoader.load(ratingsDir, cs);
        }
        Path dir = common.dataDir;
        if (dir != null && List.of("u.data", "ratings.dat", "ratings.csv", "ratings.parquet").stream().anyMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
            return RatingsLoader.load(dir, cs); // a folder of ratings given as the data folder itself
        }
        return RatingsLoader.load(Datasets.resolve("ml-100k", common.dataDir), cs);
    }
}

package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.Datasets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Shop-sales data ready for training: the open days with sales of a competition-layout folder,
 * with every lesson feature added, plus the simulator's expected sales when the folder is
 * simulated.
 *
 * @param dir      the folder read
 * @param frame    open days with Sales &gt; 0: the lesson's columns ({@link RossmannFeatures#CATEGORICAL},
 *                 {@link RossmannFeatures#CONTINUOUS}, {@link #SCORED})
 * @param allRows  rows in train.csv (open or not)
 * @param expected the simulator's expected sales, or null for real data
 * @param checksum SHA-256 of train.csv (saved in the model's provenance)
 */
public record ShopSales(Path dir, TabularFrame frame, int allRows, ExpectedSales expected, String checksum) {

    private static final Logger LOG = LoggerFactory.getLogger(ShopSales.class);

    /** Reads a folder with train.csv and store.csv (store_states.csv and expected.csv optional). */
    public static ShopSales load(Path dir) {
        // expected.csv (a second million rows) and the checksum are read beside train.csv, on another
        // core; a problem in train.csv is still the one reported first
        CompletableFuture<ExpectedSales> expected =
                CompletableFuture.supplyAsync(() -> ExpectedSales.readIfPresent(dir));
        CompletableFuture<String> checksum = CompletableFuture.supplyAsync(() -> {
            try {
                return Datasets.sha256(dir.resolve("train.csv"), false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        TabularFrame all = RossmannFeatures.add(Rossmann.loadTrain(dir));
        int allRows = all.rows();
        int[] open = RossmannFeatures.openWithSales(all);
        // the lesson's columns; the other 14 of the 46 (Customers, Is_month_end, ...) would cost 95 MB at a million rows
        Set<String> used = new HashSet<>(RossmannFeatures.CATEGORICAL);
        used.addAll(RossmannFeatures.CONTINUOUS);
        used.addAll(SCORED);
        TabularFrame lesson = all.select(used);
        all = null; // the unused columns go now
        TabularFrame frame = lesson.moveRows(open);
        return new ShopSales(dir, frame, allRows, joined(expected), joined(checksum));
    }

    /** A task's result, or the exception it threw (a BadInputException stays one). */
    private static <T> T joined(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The columns the lesson's scores (store x weekday mean, expected sales) and {@code show_results} read. */
    public static final List<String> SCORED = List.of("Store", "Date", "DayOfWeek", "Promo", "StateHoliday", "SchoolHoliday", "Sales");

    /**
     * The same data with only {@code columns} in the frame: once a learner is built from the frame
     * (its rows processed into its own arrays), scoring needs a few columns, and holding the 46 of
     * the lesson's features through training would keep about 300 MB of a million-row frame alive.
     */
    public ShopSales narrow(List<String> columns) {
        return new ShopSales(dir, frame.select(columns), allRows, expected, checksum);
    }

    public boolean simulated() {
        return expected != null;
    }

    /**
     * Where the data comes from, like fastai's {@code untar_data}: {@code dataDir} itself if it
     * holds the competition's files, or its {@code rossmann/} folder; without a flag,
     * {@code $FASTDL4J_DATA/rossmann} when it has train.csv; otherwise the default simulation
     * ({@code stores}, {@code seed}), generated once into the cache.
     */
    public static Path resolve(Path dataDir, int stores, long seed) throws IOException {
        if (dataDir != null) {
            for (Path p : new Path[]{dataDir, dataDir.resolve("rossmann")}) {
                if (Rossmann.isDataDir(p)) {
                    return p;
                }
            }
            throw BadInputException.inFile(dataDir, "has no train.csv and store.csv (nor a rossmann/ folder with them); "
                    + "the competition files need a Kaggle login, or run without --data-dir for simulated data");
        }
        String env = System.getenv(Datasets.DATA_ENV);
        if (env != null && !env.isBlank() && Rossmann.isDataDir(Path.of(env).resolve("rossmann"))) {
            return Path.of(env).resolve("rossmann");
        }
        ShopSalesSimulator.Config c = ShopSalesSimulator.Config.defaults().withStores(stores).withSeed(seed);
        Path dir = Datasets.defaultCache().resolve("shop-sales-sim").resolve("stores-" + stores + "-seed-" + seed);
        if (!Rossmann.isDataDir(dir) || !Files.isRegularFile(dir.resolve("expected.csv"))) {
            LOG.info("generating the default simulation into {}", dir);
            System.out.println("No Rossmann files given: simulating " + stores + " shops (seed " + seed + ") into " + dir);
            ShopSalesSimulator.write(c, dir);
        }
        return dir;
    }
}

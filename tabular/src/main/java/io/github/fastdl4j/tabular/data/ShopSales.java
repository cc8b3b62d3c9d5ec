package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.data.Datasets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shop-sales data ready for training: the open days with sales of a competition-layout folder,
 * with every lesson feature added, plus the simulator's expected sales when the folder is
 * simulated.
 *
 * @param dir      the folder read
 * @param frame    open days with Sales &gt; 0, features added
 * @param allRows  rows in train.csv (open or not)
 * @param expected the simulator's expected sales, or null for real data
 * @param checksum SHA-256 of train.csv (saved in the model's provenance)
 */
public record ShopSales(Path dir, TabularFrame frame, int allRows, ExpectedSales expected, String checksum) {

    private static final Logger LOG = LoggerFactory.getLogger(ShopSales.class);

    /** Reads a folder with train.csv and store.csv (store_states.csv and expected.csv optional). */
    public static ShopSales load(Path dir) {
        TabularFrame all = RossmannFeatures.add(Rossmann.loadTrain(dir));
        TabularFrame open = all.rows(RossmannFeatures.openWithSales(all));
        try {
            return new ShopSales(dir, open, all.rows(), ExpectedSales.readIfPresent(dir),
                    Datasets.sha256(dir.resolve("train.csv"), false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            throw DataException.inFile(dataDir, "has no train.csv and store.csv (nor a rossmann/ folder with them); "
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

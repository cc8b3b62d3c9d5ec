package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.tabular.data.ShopSales;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which data (a picocli mixin of train, lr-find, interpret and bench): --data-dir (Kaggle files)
 * or the default simulation of this size and seed.
 */
class DataChoice {
    @Option(names = "--stores", converter = Checks.PositiveInt.class,
            description = "Stores of the default simulation (default: ${DEFAULT-VALUE}).")
    int stores = 1115;
    @Option(names = "--sim-seed", description = "Seed of the default simulation (default: ${DEFAULT-VALUE}).")
    long simSeed = 1;

    ShopSales load(CommonOptions common) throws IOException {
        return loadFrom(ShopSales.resolve(common.dataDir, stores, simSeed));
    }

    ShopSales loadFrom(Path dir) {
        long t0 = System.nanoTime();
        ShopSales s = ShopSales.load(dir);
        System.out.printf(Locale.ROOT, "%s: %,d rows, %,d open days with sales (%s data), loaded with features in %.1f s%n",
                dir, s.allRows(), s.frame().rows(), s.simulated() ? "SIMULATED" : "competition",
                (System.nanoTime() - t0) / 1e9);
        return s;
    }
}

package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.collab.cli.RatingsOptions;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.spark.SparkAls;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CommonOptions;
import picocli.CommandLine.Option;

/** Data and ALS options. */
class AlsOptions {
    @Option(names = "--master", converter = MasterConverter.class,
            description = "Spark master: local[*], local[2], spark://host:port (default: ${DEFAULT-VALUE}).")
    String master = "local[*]";
    @picocli.CommandLine.Mixin
    RatingsOptions source;
    @Option(names = "--rank", converter = Checks.PositiveInt.class, description = "Latent factors (default: ${DEFAULT-VALUE}).")
    int rank = 50;
    @Option(names = "--reg", converter = Checks.NonNegativeDouble.class, description = "ALS regParam (default: ${DEFAULT-VALUE}).")
    double reg = 0.12;
    @Option(names = "--iters", converter = Checks.PositiveInt.class, description = "ALS iterations (default: ${DEFAULT-VALUE}).")
    int iters = 10;
    @Option(names = "--bias-reg", converter = Checks.NonNegativeDouble.class,
            description = "Regularisation of the bias averages (default: ${DEFAULT-VALUE}).")
    double biasReg = 3;

    Ratings load(CommonOptions common) {
        return source.load(common);
    }

    SparkAls.Config config(long seed) {
        return config(seed, null);
    }

    SparkAls.Config config(long seed, SparkAls.Implicit implicit) {
        return new SparkAls.Config(rank, reg, iters, biasReg, 3, seed, implicit);
    }
}

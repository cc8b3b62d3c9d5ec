package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.common.cli.Cli;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;

/**
 * {@code ./fastdl4j collab-spark ...}: train (Spark ALS with biases, or implicit-feedback ALS),
 * evaluate (either on collab's protocols and ranking metrics), bench (ALS next to
 * DotProductBias), chart (bench lines over sizes).
 */
@Command(name = "collab-spark", mixinStandardHelpOptions = true,
        description = "Collaborative filtering on Apache Spark: MLlib ALS with biases or on implicit feedback, saved in the collab model format.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, BenchCommand.class, ChartCommand.class})
public final class CollabSparkMain implements Runnable {

    public static void main(String[] args) {
        System.exit(Cli.execute(new CollabSparkMain(), "collab-spark", args));
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** A number as a person writes it: 3, not 3.0; 0.12 as it is. */
    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The Spark version, master and default parallelism, in one line. */
    static String sparkLine(SparkSession spark) {
        return "spark: " + spark.version() + " | master: " + spark.sparkContext().master() + " | default parallelism: "
                + spark.sparkContext().defaultParallelism();
    }
}

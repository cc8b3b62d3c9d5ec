package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.data.Datasets;
import io.github.fastdl4j.common.dl4j.ConvNetBench;
import io.github.fastdl4j.common.train.RunReport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./fastdl4j common ...}: backend information, data set resolution, backend benchmark. */
@Command(name = "common", mixinStandardHelpOptions = true,
        description = "Shared tools: backend information, data sets, backend benchmark.",
        subcommands = {CommonMain.Info.class, CommonMain.Data.class, CommonMain.Bench.class})
public final class CommonMain implements Runnable {

    public static void main(String[] args) {
        System.exit(Cli.execute(new CommonMain(), "common", args));
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Prints the backend line. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "Print the backend line (backend, device, threads, BLAS, classifier).")
    static final class Info implements Runnable {
        @Override
        public void run() {
            System.out.println(BackendInfo.current().line());
        }
    }

    /** Resolves (and if needed downloads) a data set, printing its folder. */
    @Command(name = "data", mixinStandardHelpOptions = true,
            description = "Find or download a data set (ml-100k, mnist, rossmann) and print its folder.")
    static final class Data implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "Data set name.")
        String name;

        @Mixin
        CommonOptions common;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
            if (!Datasets.registered().containsKey(name)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown data set '" + name
                        + "': known are " + String.join(", ", Datasets.registered().keySet()));
            }
            Path p = Datasets.resolve(name, common.dataDir);
            System.out.println(p.toAbsolutePath());
            return 0;
        }
    }

    /**
     * Backend speed: a float matrix multiply (GFLOP/s) and training steps of a small conv net
     * (images/s), as JSON lines; used to pick the nd4j-native classifier.
     */
    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Benchmark the backend: matmul GFLOP/s and a small conv net's training images/s (JSON lines).")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--size", converter = Checks.PositiveInt.class,
                description = "Matrix size n for n x n matmul (default: ${DEFAULT-VALUE}).")
        int size = 1024;

        @Option(names = "--steps", converter = Checks.PositiveInt.class,
                description = "Timed conv-net training steps (default: ${DEFAULT-VALUE}).")
        int steps = 20;

        @Option(names = "--bs", converter = Checks.PositiveInt.class, description = "Conv-net batch size (default: ${DEFAULT-VALUE}).")
        int batchSize = 256;

        @Override
        public Integer call() throws IOException {
            BackendInfo info = BackendInfo.current();
            System.err.println(info.line());
            Nd4j.getRandom().setSeed(1);
            INDArray a = Nd4j.rand(DataType.FLOAT, size, size);
            INDArray b = Nd4j.rand(DataType.FLOAT, size, size);
            INDArray c = Nd4j.create(DataType.FLOAT, size, size);
            for (int i = 0; i < 3; i++) {
                a.mmuli(b, c);
            }
            int reps = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                a.mmuli(b, c);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double gflops = 2.0 * size * size * size * reps / secs / 1e9;
            System.out.println(RunReport.jsonLine(line("matmul", "n", size, "gflops", gflops, "ms_per_op",
                    secs * 1000 / reps, "backend", info.shortName())));

            double s2 = ConvNetBench.trainSeconds(batchSize, steps);
            System.out.println(RunReport.jsonLine(line("conv_net_train", "batch_size", batchSize, "images_per_sec",
                    batchSize * steps / s2, "ms_per_step", s2 * 1000 / steps, "backend", info.shortName())));
            return 0;
        }

        private static Map<String, Object> line(String bench, Object... keyValues) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bench", bench);
            for (int i = 0; i < keyValues.length; i += 2) {
                m.put((String) keyValues[i], keyValues[i + 1]);
            }
            return m;
        }
    }
}

package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.collab.spark.interpret.ScalingChart;
import io.github.fastdl4j.common.cli.Outputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "chart", mixinStandardHelpOptions = true,
        description = "Scaling charts from bench JSON lines of several data sizes: seconds per pass and validation MSE against ratings.")
final class ChartCommand implements Callable<Integer> {
    @picocli.CommandLine.Parameters(arity = "1..*", paramLabel = "BENCH", description = "Files holding bench output (JSON lines; other lines are skipped).")
    List<Path> files;
    @Option(names = "--out", required = true, description = "Folder for scaling_seconds.png and scaling_mse.png.")
    Path out;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Outputs.checkSharedFolder(spec, "--out", out,
                Set.of("scaling_seconds.png", "scaling_mse.png"));
        ScalingChart chart = ScalingChart.read(files);
        System.out.printf(Locale.ROOT, "%-48s %12s %12s %12s %10s%n", "series", "ratings", "s/pass", "ratings/s", "valid mse");
        chart.series().forEach((name, points) -> points.forEach(p -> System.out.printf(Locale.ROOT,
                "%-48s %12d %12.1f %12.0f %10.4f%n", name, p.ratings(), p.secondsPerPass(), p.ratingsPerSec(), p.validMse())));
        for (Path p : chart.write(out)) {
            System.out.println("wrote " + p);
        }
        return 0;
    }
}

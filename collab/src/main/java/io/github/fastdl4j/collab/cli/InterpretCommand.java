package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.Outputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "interpret", mixinStandardHelpOptions = true,
        description = "Bias rankings, PCA of the movie factors, charts.")
final class InterpretCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A model.zip from train.")
    Path modelFile;
    @Option(names = {"-k"}, converter = Checks.PositiveInt.class, description = "Entries per list (default: ${DEFAULT-VALUE}).")
    int k = 10;
    @Option(names = "--out", description = "Folder for the charts (default: next to the model, charts/).")
    Path out;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // charts are written into the folder (not a run folder of another command, not over the model)
        Outputs.checkSharedFolder(spec, "--out", out,
                Set.of("movie_bias.png", "movie_pca.png"));
        System.err.println(BackendInfo.current().line());
        CollabModel m = CollabModel.load(modelFile);
        CollabInterpretation in = new CollabInterpretation(m);
        if (m.kind().hasBiases()) {
            RankedLists.print("Lowest movie biases (rated low even by users whose tastes match the movie)", in.movieBiases(k, false));
            RankedLists.print("Highest movie biases (rated high even by users whose tastes do not match)", in.movieBiases(k, true));
            RankedLists.print("Lowest user biases (harsh raters)", in.userBiases(k, false));
            RankedLists.print("Highest user biases (generous raters)", in.userBiases(k, true));
        } else {
            System.out.println("(the " + m.kind() + " model has no biases: only the PCA of its movie embedding)");
        }
        int movies = m.movies().size() - 1;
        if (k > movies || (m.kind().hasBiases() && k > m.users().size() - 1)) {
            System.out.printf(Locale.ROOT, "%n(the model knows %d movie%s and %d user%s: lists hold at most that many, fewer than -k %d)%n",
                    movies, movies == 1 ? "" : "s", m.users().size() - 1, m.users().size() == 2 ? "" : "s", k);
        }
        // n movies of d factors have at most min(n - 1, d) components: 3 movies give 2, 2 movies 1
        int components = in.pcaComponents(3);
        if (components == 0) {
            System.out.printf(Locale.ROOT, "%n(no PCA of the movie factors: the model knows %d movie%s)%n", movies, movies == 1 ? "" : "s");
        }
        CollabInterpretation.MoviePca p = components == 0 ? null : in.moviePca(Math.min(1000, movies), components);
        double[] ev = p == null ? new double[0] : p.pca().explainedVarianceRatio();
        if (p != null) {
            System.out.printf(Locale.ROOT, "%nPCA of the movie factors (%d most-rated movies): explained variance %s%n",
                    p.movies().length, String.join(", ", Arrays.stream(ev).mapToObj(v -> String.format(Locale.ROOT, "%.3f", v))
                            .toList()));
        }
        // the ends of each component, at most half the movies each so that the two lists do not overlap
        int shown = p == null ? 0 : Math.max(1, Math.min(5, p.movies().length / 2));
        for (int c = 0; c < Math.min(2, ev.length); c++) {
            final int comp = c;
            Integer[] order = new Integer[p.movies().length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> p.pca().projected()[i][comp]));
            System.out.printf("PC%d low:  %s%n", c + 1, titles(m, p, order, 0, shown));
            System.out.printf("PC%d high: %s%n", c + 1, titles(m, p, order, order.length - shown, order.length));
        }
        String noChart = CollabInterpretation.pcaChartNote(movies, m.movieFactors()[0].length);
        if (noChart != null) {
            System.out.println("note: " + noChart);
        }
        Path dir = out != null ? out : (modelFile.toAbsolutePath().getParent().resolve("charts"));
        in.writeCharts(dir);
        System.out.println("charts in " + dir);
        return 0;
    }

    private static String titles(CollabModel m, CollabInterpretation.MoviePca p, Integer[] order, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(i > from ? "; " : "").append(m.title(p.movies()[order[i]]));
        }
        return sb.toString();
    }
}

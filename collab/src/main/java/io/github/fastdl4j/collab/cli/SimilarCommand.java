package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.interpret.Ranked;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "similar", mixinStandardHelpOptions = true,
        description = "Movies nearest to one, by cosine similarity of their factors.")
final class SimilarCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TITLE", arity = "0..1",
            description = "A title or part of one, case-insensitive, e.g. \"Silence of the Lambs\" (or --movie-id).")
    String title;
    @Option(names = "--movie-id", description = "The movie's id as in the data (tells apart movies with the same title).")
    String movieId;
    @Option(names = "--min-ratings", converter = Checks.NonNegativeInt.class,
            description = "Only movies with at least this many training ratings (rarely rated ones have noisy factors) (default: ${DEFAULT-VALUE}).")
    int minRatings = 20;
    @Mixin
    QueryOptions query;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((title == null) == (movieId == null) || (title != null && title.isBlank())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a TITLE or --movie-id (one of them)");
        }
        System.err.println(BackendInfo.current().line());
        CollabModel m = CollabModel.load(query.modelFile);
        CollabInterpretation in = new CollabInterpretation(m);
        int target = movieId != null ? in.movieIndexOfId(movieId) : in.findMovie(title);
        List<Ranked> near = in.similar(target, query.k, minRatings, true);
        RankedLists.print("Nearest to " + m.title(target) + " [" + m.movies().id(target) + "] (cosine similarity; movies with at least "
                + minRatings + " ratings)", near);
        if (near.size() < query.k) {
            System.out.printf(Locale.ROOT, "(only %d other movie%s with at least %d ratings: fewer than -k %d)%n", near.size(),
                    near.size() == 1 ? "" : "s", minRatings, query.k);
        }
        String caveat = in.distanceCaveat();
        if (caveat != null) {
            System.out.println();
            System.out.println("note: " + caveat);
        }
        return 0;
    }
}

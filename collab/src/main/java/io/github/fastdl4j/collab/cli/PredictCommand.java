package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.interpret.CollabInterpretation;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.common.cli.BackendInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "The model's rating for one user and one movie.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--user", required = true, description = "User id as in the data, e.g. 42.")
    String user;
    @Option(names = "--movie", description = "A title or part of one, e.g. \"Fargo (1996)\".")
    String movie;
    @Option(names = "--movie-id", description = "The movie's id as in the data.")
    String movieId;
    @Option(names = "--model-file", required = true, description = "A model.zip from train.")
    Path modelFile;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((movie == null) == (movieId == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --movie or --movie-id (one of them)");
        }
        System.err.println(BackendInfo.current().line());
        CollabModel m = CollabModel.load(modelFile);
        CollabInterpretation in = new CollabInterpretation(m);
        int target = movieId != null ? in.movieIndexOfId(movieId) : in.findMovie(movie);
        CollabInterpretation.Prediction p = in.predict(user, target);
        System.out.printf(Locale.ROOT, "user %s, %s [%s]: predicted rating %.2f%s%n", user, m.title(target),
                m.movies().id(target), p.predicted(), p.seen() ? " (the user rated it in the training data)" : "");
        return 0;
    }
}

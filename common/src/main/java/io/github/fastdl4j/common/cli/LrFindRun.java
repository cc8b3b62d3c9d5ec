package io.github.fastdl4j.common.cli;

import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.LrFindResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The recipe every {@code lr-find} command follows, once: open the output folder (checked before
 * any data is read), print the backend line, let the module build its learner, run fastai's
 * learning-rate finder, write {@code lr_find.png} into place and print the suggestions line.
 *
 * <pre>{@code
 * LrFindRun.run(common, "collab-lr-find-dot", () -> learner(load(common)).learner());
 * }</pre>
 */
public final class LrFindRun {

    /** The chart's file name in the run folder. */
    public static final String CHART = "lr_find.png";

    /** Builds the learner to search (reading the data, printing what the module prints on the way). */
    @FunctionalInterface
    public interface LearnerSource {
        Learner open() throws IOException;
    }

    private LrFindRun() {
    }

    /**
     * Runs the finder. {@code name}: the run folder's name when {@code --out} is not given (e.g.
     * {@code collab-lr-find-dot}). Returns the curve and its suggestions.
     */
    public static LrFindResult run(CommonOptions common, String name, LearnerSource learner) throws IOException {
        try (RunFolder out = common.openOut(name, Set.of(CHART))) {
            System.out.println(BackendInfo.current().line());
            LrFindResult r = learner.open().lrFind();
            r.plot(out.resolve(CHART));
            out.commit();
            System.out.println(line(r, out.target().resolve(CHART)));
            return r;
        }
    }

    /** The suggestions line, e.g. {@code suggested learning rates: valley 1.20e-03, ... (100 steps); wrote DIR/lr_find.png}. */
    public static String line(LrFindResult r, Path chart) {
        return String.format(Locale.ROOT, "suggested learning rates: %s (%d steps); wrote %s", r.suggestions(), r.lrs().length,
                chart);
    }
}

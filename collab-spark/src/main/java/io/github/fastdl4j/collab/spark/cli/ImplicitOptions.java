package io.github.fastdl4j.collab.spark.cli;

import io.github.fastdl4j.collab.spark.SparkAls;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.ParsingConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

/** Implicit-feedback ALS: whether, and how the training ratings become interactions ({@link SparkAls.Implicit}). */
class ImplicitOptions {
    @Option(names = "--implicit", description = "Implicit-feedback ALS (MLlib implicitPrefs, Hu et al. 2008): the training "
            + "ratings are interactions; the model ranks movies, it does not predict ratings.")
    boolean implicit;
    @Option(names = "--alpha", converter = Checks.NonNegativeDouble.class,
            description = "With --implicit: an interaction of strength r is held with confidence 1 + alpha * r (default: ${DEFAULT-VALUE}).")
    double alpha = 1;
    @Option(names = "--min-rating", converter = Checks.NonNegativeDouble.class,
            description = "With --implicit: training ratings below this are not interactions (default: every rating is one).")
    Double minRating;
    @Option(names = "--confidence", converter = ConfidenceConverter.class,
            description = "With --implicit: rating (an interaction's strength r is its rating) or binary (r = 1) (default: ${DEFAULT-VALUE}).")
    String confidence = "rating";

    static final class ConfidenceConverter extends ParsingConverter<String> {
        ConfidenceConverter() {
            super(v -> {
                if (!v.equals("rating") && !v.equals("binary")) {
                    throw new IllegalArgumentException("expected rating or binary, got '" + v + "'");
                }
                return v;
            });
        }
    }

    /**
     * The implicit settings, or null for explicit ALS; the implicit-only options without
     * {@code --implicit} are a usage error (they would be silently ignored).
     */
    SparkAls.Implicit implicit(CommandSpec spec) {
        if (!implicit) {
            for (String name : List.of("--alpha", "--min-rating", "--confidence")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), name + " needs --implicit");
                }
            }
            return null;
        }
        return new SparkAls.Implicit(alpha, minRating == null ? Double.NEGATIVE_INFINITY : minRating,
                confidence.equals("rating"));
    }

    /** What the interactions are, in words. */
    static String describe(SparkAls.Implicit im) {
        return (Double.isInfinite(im.minRating()) ? "every training rating" : "training ratings >= " + CollabSparkMain.fmt(im.minRating()))
                + " an interaction, confidence 1 + " + CollabSparkMain.fmt(im.alpha()) + (im.graded() ? " * rating" : "");
    }

    /** Records the implicit settings in a run's config or a JSON line. */
    static void put(Map<String, Object> m, SparkAls.Implicit im) {
        m.put("alpha", im.alpha());
        m.put("min_rating", Double.isInfinite(im.minRating()) ? null : im.minRating());
        m.put("confidence", im.graded() ? "rating" : "binary");
    }
}

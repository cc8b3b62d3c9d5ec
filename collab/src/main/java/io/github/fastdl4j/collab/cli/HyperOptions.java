package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.CollabLearner;
import io.github.fastdl4j.collab.data.Ratings;
import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.common.cli.AdamModeConverter;
import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.FitOptions;
import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.module.AdamW;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.Locale;

/** Training options shared by train, lr-find, bench and evaluate; the lesson's defaults. */
class HyperOptions extends FitOptions {
    @Option(names = "--factors", converter = Checks.PositiveInt.class, description = "Latent factors (default: ${DEFAULT-VALUE}).")
    int factors = 50;
    @Option(names = "--layers", split = ",", converter = Checks.PositiveInt.class,
            description = "Hidden layers: nn, nn-layers and hybrid use the first (default 100), nn-bn all (default 100,50).")
    int[] layers;
    @picocli.CommandLine.Mixin
    RatingsOptions source;
    @Option(names = "--adam", description = "dense (fastai's: every parameter at every step) or lazy (only the batch's rows of "
            + "dot, dot-linear and bpr; the same result, faster) (default: lazy for those, dense for the others).",
            converter = AdamModeConverter.class)
    AdamW.Mode adam; // null: the model kind's default

    /** The mode this model trains with: --adam, or the kind's default. */
    AdamW.Mode adamFor(CollabKind kind) {
        return adam != null ? adam : kind.defaultAdam();
    }

    HyperOptions() {
        super(5, 5e-3, 0.1, 64);
    }

    Ratings load(CommonOptions common) {
        Ratings r = source.load(common);
        double[] y = r.yRange();
        System.out.printf(Locale.ROOT, "rating scale %s..%s, y_range (%s, %s)%n", num(r.minRating()), num(r.maxRating()),
                num(y[0]), num(y[1]));
        return r;
    }

    /** The ratings options, checked against each other before anything is read ({@link RatingsOptions#check}). */
    void checkSource(CommandSpec spec) {
        source.check(spec.commandLine());
    }

    /** --adam lazy only changes the models with row-sparse tables: elsewhere it is a mistake worth saying. */
    void checkAdam(CommandSpec spec, CollabKind kind) {
        if (adam == AdamW.Mode.LAZY && !kind.rowSparse()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--adam lazy applies to dot, dot-linear and "
                    + "bpr (their embedding tables), not " + kind);
        }
    }

    static String num(double v) {
        return CsvTable.keyOf(v);
    }

    CollabLearner learner(Ratings r, CollabKind kind, long seed) {
        double[] y = r.yRange();
        CollabLearner.Builder b = CollabLearner.of(r).model(kind).nFactors(factors).yRange(y[0], y[1])
                .batchSize(batchSize).seed(seed).adam(adamFor(kind));
        if (layers != null) {
            b.layers(layers);
        }
        return b.build();
    }
}

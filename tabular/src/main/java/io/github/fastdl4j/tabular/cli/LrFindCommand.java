package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.LrFindResult;
import io.github.fastdl4j.tabular.TabularLearner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code tabular lr-find}: fastai's learning-rate finder on the lesson's data or a --csv table. */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = "fastai's learning-rate finder: prints the suggestions (valley, minimum/10, steep), writes lr_find.png to --out.")
final class LrFindCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    DataChoice dataChoice;
    @Mixin
    TableOptions table;
    @Mixin
    Hyper hyper;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        table.check(spec);
        hyper.checkPs(spec);
        try (RunFolder out = common.openOut("tabular-lr-find", Set.of("lr_find.png"))) {
            System.out.println(BackendInfo.current().line());
            TabularLearner learn = table.given() ? LoadedTable.of(table, hyper, common.seed).learn()
                    : hyper.learner(dataChoice.load(common).frame(), common.seed);
            LrFindResult r = learn.learner().lrFind();
            r.plot(out.resolve("lr_find.png"));
            out.commit();
            System.out.printf(Locale.ROOT, "suggested learning rates: %s (%d steps); "
                    + "wrote %s%n", r.suggestions(), r.lrs().length, out.target().resolve("lr_find.png"));
        }
        return 0;
    }
}

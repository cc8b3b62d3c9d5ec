package io.github.fastdl4j.tabular.cli;

import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.LrFindRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
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
        LrFindRun.run(common, "tabular-lr-find", () -> (table.given() ? LoadedTable.of(table, hyper, common.seed).learn()
                : hyper.learner(dataChoice.load(common).frame(), common.seed)).learner());
        return 0;
    }
}

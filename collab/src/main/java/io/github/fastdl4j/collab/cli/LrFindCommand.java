package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.model.CollabKind;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.LrFindRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = "fastai's learning-rate finder: prints suggestions, writes lr_find.png to --out.")
final class LrFindCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    HyperOptions hyper;
    @Mixin
    ModelOption model;

    @Override
    public Integer call() throws IOException {
        CollabKind kind = model.kind;
        hyper.checkSource(spec);
        LrFindRun.run(common, "collab-lr-find-" + kind.cliName(),
                () -> hyper.learner(hyper.load(common), kind, common.seed).learner());
        return 0;
    }
}

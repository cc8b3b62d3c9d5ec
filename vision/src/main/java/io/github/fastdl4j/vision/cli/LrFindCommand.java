package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.LrFindRun;
import io.github.fastdl4j.vision.VisionLearner;
import io.github.fastdl4j.vision.model.Arch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.concurrent.Callable;

import io.github.fastdl4j.vision.cli.VisionMain.Hyper;

/** {@code vision lr-find}: fastai's learning-rate finder on the same data and architecture as train. */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = "fastai's learning-rate finder: prints the suggestions (valley, minimum/10, steep), writes lr_find.png to --out.")
final class LrFindCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    Hyper hyper;
    @Mixin
    FolderOptions folder;
    @Mixin
    ArchOption archOption;

    @Override
    public Integer call() throws IOException {
        Arch arch = archOption.arch;
        folder.check(spec, hyper.shift);
        LrFindRun.run(common, "vision-lr-find-" + arch.cliName(), () -> {
            hyper.fitBatchToData = hyper.fitBatch(spec);
            VisionLearner learn = hyper.learner(hyper.load(common, folder), arch, hyper.build(arch), common.seed);
            String batchNote = Hyper.batchNote(learn, hyper.batchSize);
            if (batchNote != null) {
                System.out.println(batchNote);
            }
            return learn.learner();
        });
        return 0;
    }
}

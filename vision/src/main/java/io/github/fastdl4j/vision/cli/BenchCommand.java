package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.BackendInfo;
import io.github.fastdl4j.common.cli.CommonOptions;
import io.github.fastdl4j.common.cli.MemoryPeaks;
import io.github.fastdl4j.vision.VisionLearner;
import io.github.fastdl4j.common.train.FitResult;
import io.github.fastdl4j.common.train.EpochResult;
import io.github.fastdl4j.common.train.Learner;
import io.github.fastdl4j.common.train.Listener;
import io.github.fastdl4j.common.train.TrainingState;
import io.github.fastdl4j.common.train.RunReport;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.Build;
import io.github.fastdl4j.vision.model.fast.Profile;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.github.fastdl4j.vision.cli.VisionMain.Hyper;
import io.github.fastdl4j.vision.cli.VisionMain.BuildConverter;
import io.github.fastdl4j.vision.cli.VisionMain.ArchConverter;

import static io.github.fastdl4j.vision.cli.VisionMain.round;

/** {@code vision bench}: each architecture in each build on MNIST, one JSON line each (speed, accuracy, memory). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Train each architecture in each build and print one JSON line each: training and inference speed, "
                + "test accuracy after every epoch, seconds of training to 99%% test accuracy, peak memory.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    Hyper hyper;
    @Option(names = "--archs", split = ",", converter = ArchConverter.class,
            description = "Architectures (default: classic,stride2,concat,simple-cnn,wide-cnn).")
    List<Arch> archs = List.of(Arch.values());
    @Option(names = "--builds", split = ",", converter = BuildConverter.class,
            description = "Builds to run each architecture with, in this order (default: onednn,scratch: the DL4J graph with "
                    + "its oneDNN helpers, then ours; add stock for DL4J as shipped).")
    List<Build> builds = List.of(Build.ONEDNN, Build.SCRATCH);

    @Override
    public Integer call() throws IOException {
        common.noOutput(); // its results go to stdout: a --out is a mistake, not ignored
        BackendInfo backend = BackendInfo.current();
        System.err.println(backend.line());
        Mnist mnist = hyper.load(common);
        for (Arch arch : archs) {
            // the same run, same seed and data order for each build
            for (Build build : hyper.build != null ? List.of(hyper.build) : builds) {   // --build: that one only
                System.out.println(RunReport.jsonLine(run(mnist, arch, build, backend)));
            }
        }
        return 0;
    }

    private Map<String, Object> run(Mnist mnist, Arch arch, Build build, BackendInfo backend) {
        MemoryPeaks.reset();
        // a fixed recipe timed against PyTorch, which trains on all 60,000: by default the bench does too
        VisionLearner vl = hyper.learner(mnist, arch, build, common.seed, hyper.validSize != null ? hyper.validSize : 0);
        // test accuracy at the end of every epoch (not timed: trainSeconds counts training steps only)
        List<Double> testByEpoch = new ArrayList<>();
        List<Double> secondsByEpoch = new ArrayList<>();
        Learner learn = vl.learner().quiet(true).addListener(new Listener() {
            @Override
            public void onEpochEnd(TrainingState state, EpochResult result) {
                secondsByEpoch.add(state.fitState().trainSeconds());
                testByEpoch.add(vl.test().metrics().get("accuracy"));
            }
        });
        boolean profile = Profile.enabled() && build == Build.SCRATCH;     // -Dfastdl4j.dnnl.profile=true
        if (profile) {
            Profile.reset();
        }
        long t0 = System.nanoTime();
        FitResult fit = learn.fitOneCycle(hyper.epochs, hyper.lr, hyper.wd);
        double wall = (System.nanoTime() - t0) / 1e9;
        if (profile) {
            System.err.printf(Locale.ROOT, "%s %s, training (%.1f s of steps; validation and test after each epoch included):%n%s",
                    arch.cliName(), build.cliName(), fit.trainSeconds(), Profile.table());
            Profile.reset();
        }
        // inference speed on the test images, batches of 1,000
        var testBatches = mnist.testLoader(1000);
        long n = 0;
        long t1 = System.nanoTime();
        while (testBatches.hasNext()) {
            MultiDataSet b = testBatches.next();
            n += vl.model().probabilities(b.getFeatures(0)).size(0);
        }
        double inferSecs = (System.nanoTime() - t1) / 1e9;
        if (profile) {
            System.err.printf(Locale.ROOT, "%s %s, inference on the test images, bs 1000 (%.2f s):%n%s", arch.cliName(),
                    build.cliName(), inferSecs, Profile.table());
        }
        Double to99 = null;
        for (int e = 0; e < testByEpoch.size(); e++) {
            if (testByEpoch.get(e) >= 0.99) {
                to99 = round(secondsByEpoch.get(e), 1);
                System.err.printf(Locale.ROOT, "%s %s: 99%% test accuracy after epoch %d of %d, %.1f s of training%n", arch,
                        build, e + 1, hyper.epochs, secondsByEpoch.get(e));
                break;
            }
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("arch", arch.cliName());
        line.put("build", build.cliName());
        line.put("epochs", hyper.epochs);
        line.put("batch_size", hyper.batchSize);
        line.put("train_images", fit.samples() / hyper.epochs);
        line.put("train_images_per_sec", Math.round(fit.samplesPerSecond()));
        line.put("inference_images_per_sec", Math.round(n / inferSecs));
        line.put("seconds_per_epoch", round(wall / hyper.epochs, 2));
        line.put("valid_accuracy", round(fit.last().metrics().get("accuracy"), 4));
        line.put("test_accuracy", round(testByEpoch.get(testByEpoch.size() - 1), 4));
        line.put("test_accuracy_per_epoch", testByEpoch.stream().map(a -> round(a, 4)).toList());
        line.put("train_seconds_at_epoch_end", secondsByEpoch.stream().map(s -> round(s, 2)).toList());
        line.put("seconds_to_99", to99);
        line.put("peak_heap_mb", MemoryPeaks.heapMb());
        line.put("peak_rss_mb_so_far", MemoryPeaks.residentMb());
        line.put("backend", backend.shortName());
        return line;
    }
}

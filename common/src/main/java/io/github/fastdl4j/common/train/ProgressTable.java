package io.github.fastdl4j.common.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * fastai-style output on stdout: a header, one row per epoch (epoch, train_loss, valid_loss,
 * metrics, time), and a progress bar during the epoch when stdout is a terminal.
 */
public final class ProgressTable implements Listener {

    private final PrintStream out;
    private final List<String> metricNames;
    private final boolean bar;
    private ProgressBar progress;

    /** Prints to stdout, with a bar only when there is a terminal. */
    public ProgressTable(List<String> metricNames) {
        this(System.out, metricNames, System.console() != null);
    }

    public ProgressTable(PrintStream out, List<String> metricNames, boolean bar) {
        this.out = out;
        this.metricNames = List.copyOf(metricNames);
        this.bar = bar;
    }

    @Override
    public void onFitStart(TrainingState s) {
        List<String> cols = new ArrayList<>(List.of("epoch", "train_loss", "valid_loss"));
        cols.addAll(metricNames);
        cols.add("time");
        StringBuilder sb = new StringBuilder();
        for (String c : cols) {
            sb.append(String.format("%-12s", c));
        }
        out.println(sb.toString().stripTrailing());
        s.rows().forEach(this::row); // a resumed fit shows the epochs done before
    }

    @Override
    public void onEpochStart(TrainingState s) {
        if (bar) {
            progress = new ProgressBarBuilder().setTaskName("epoch " + s.epoch())
                    .setInitialMax(s.batchesPerEpoch()).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).clearDisplayOnFinish().build();
        }
    }

    @Override
    public void onBatchEnd(TrainingState s) {
        if (progress != null) {
            progress.step();
        }
    }

    @Override
    public void onEpochEnd(TrainingState s, EpochResult r) {
        closeBar();
        row(r);
    }

    private void row(EpochResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-12d%-12.6f%-12.6f", r.epoch(), r.trainLoss(), r.validLoss()));
        for (String m : metricNames) {
            sb.append(String.format("%-12.6f", r.metrics().get(m)));
        }
        long secs = Math.round(r.seconds());
        sb.append(String.format("%02d:%02d", secs / 60, secs % 60));
        out.println(sb);
    }

    @Override
    public void onFitEnd(TrainingState s) {
        closeBar();
    }

    private void closeBar() {
        if (progress != null) {
            progress.close();
            progress = null;
        }
    }
}

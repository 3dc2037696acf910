package dev.adapterloop.cli;

import dev.adapterloop.training.TrainingProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar for training (step, loss, throughput, ETA), shown when a command turns it on and output
 * goes to a terminal; otherwise the job's own log lines (every 10 s) report the same figures.
 */
@ApplicationScoped
public class ConsoleProgress {

    private volatile boolean enabled;
    private ProgressBar bar;

    void enable() {
        enabled = System.console() != null && System.getenv("TERM") != null;
    }

    synchronized void onProgress(@Observes TrainingProgress progress) {
        if (!enabled) {
            return;
        }
        if (bar == null || progress.step() == 1) {
            close();
            bar = new ProgressBarBuilder().setTaskName("training").setInitialMax(progress.totalSteps())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate()
                    .showSpeed().setUnit(" steps", 1).build();
        }
        bar.stepTo(progress.step());
        bar.setExtraMessage(String.format(" loss %.4f · %.1f ex/s · %.0f tok/s", progress.loss(),
                progress.examplesPerSecond(), progress.tokensPerSecond()));
        if (progress.step() == progress.totalSteps()) {
            close();
        }
    }

    synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}

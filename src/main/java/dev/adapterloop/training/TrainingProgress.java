package dev.adapterloop.training;

import java.time.Duration;

/**
 * A snapshot of a running training: step of total, smoothed loss, throughput and the estimated time left.
 * {@code tokensPerSecond} counts the padded positions the model processed.
 */
public record TrainingProgress(int step, int totalSteps, int epoch, double loss, double learningRate,
                               double examplesPerSecond, double tokensPerSecond, Duration elapsed, Duration eta) {

    public double fractionDone() {
        return totalSteps == 0 ? 1 : (double) step / totalSteps;
    }
}

package dev.adapterloop.training;

/** Linear warm-up from 0 to the peak, then linear decay to 0 at the last step (transformers' default). */
record LearningRateSchedule(double peak, int warmupSteps, int totalSteps) {

    static LearningRateSchedule of(TrainingConfig config, int totalSteps) {
        return new LearningRateSchedule(config.learningRate(), (int) Math.ceil(config.warmupRatio() * totalSteps),
                totalSteps);
    }

    /** @param step 1-based optimiser step */
    double at(int step) {
        if (step <= warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        return peak * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}

package dev.adapterloop.training;

/**
 * Linear warm-up from 0 to the peak, then decay to 0 at the last step: linear (transformers' default) or cosine
 * (half a cosine wave, which stays near the peak longer and flattens at the end).
 */
record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, TrainingConfig.Decay decay) {

    static LearningRateSchedule of(TrainingConfig config, int totalSteps) {
        return new LearningRateSchedule(config.learningRate(), (int) Math.ceil(config.warmupRatio() * totalSteps),
                totalSteps, config.decay());
    }

    /** @param step 1-based optimiser step */
    double at(int step) {
        if (step <= warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return switch (decay) {
            case LINEAR -> peak * (1 - progress);
            case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }
}

package dev.adapterloop.training;

import java.util.List;
import java.util.Map;

/**
 * Everything that decides the rest of a run after {@code step}: the trainable parameters, AdamW's moments, the loss
 * curve so far (and each step's throughput, for the version's training curve), early stopping's state and the fp16
 * loss scale. The data order and dropout masks need nothing: both
 * are functions of the seed and the step. {@code fingerprint} ties it to one configuration and data set.
 */
record TrainingCheckpoint(String fingerprint, int step, List<Float> lossCurve, int optimizerSteps,
                          Map<String, float[]> parameters, Map<String, float[]> firstMoments,
                          Map<String, float[]> secondMoments, Map<String, float[]> bestParameters,
                          double bestLoss, int bestStep, int sinceBest, double lossScale, int cleanScaledSteps,
                          int skippedScaledSteps, List<StepRate> stepRates) {
}

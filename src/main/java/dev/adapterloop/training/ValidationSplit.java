package dev.adapterloop.training;

import dev.adapterloop.dataset.LabeledExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The training data split for early stopping: with a validation fraction, the tail of a seeded shuffle is the
 * validation set and the rest is trained on; without one, everything is trained on.
 */
record ValidationSplit(List<LabeledExample> fitOn, EarlyStopping stopping) {

    static ValidationSplit of(JobSettings settings, List<LabeledExample> train, long seed) {
        double fraction = settings.validationFraction();
        if (!(fraction >= 0 && fraction < 1)) {
            throw new TrainingFailedException("validation-fraction must be in [0, 1), got " + fraction);
        }
        int size = (int) Math.round(fraction * train.size());
        if (size == 0) {
            return new ValidationSplit(train, EarlyStopping.NONE);
        }
        List<LabeledExample> shuffled = new ArrayList<>(train);
        Collections.shuffle(shuffled, new Random(seed));
        int cut = shuffled.size() - size;
        return new ValidationSplit(shuffled.subList(0, cut), new EarlyStopping(shuffled.subList(cut, shuffled.size()),
                settings.evaluateEverySteps(), settings.earlyStoppingPatience()));
    }
}

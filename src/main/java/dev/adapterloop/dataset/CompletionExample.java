package dev.adapterloop.dataset;

import java.util.Objects;

/**
 * One causal language-model example: a prompt and the completion the model should learn to produce after it. The
 * loss counts the completion's tokens only; an empty prompt makes the whole text a completion (plain next-token
 * training).
 */
public record CompletionExample(String prompt, String completion) {

    public CompletionExample {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        if (completion.isEmpty()) {
            throw new IllegalArgumentException("a completion example needs a non-empty completion");
        }
    }
}

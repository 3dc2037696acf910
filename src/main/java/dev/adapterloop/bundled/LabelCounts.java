package dev.adapterloop.bundled;

import java.util.Collection;

/** How many ham and spam examples a set of corpus emails holds. */
public record LabelCounts(int ham, int spam) {
    public LabelCounts {
        if (ham < 0) {
            throw new IllegalArgumentException("ham must be >= 0, got " + ham);
        }
        if (spam < 0) {
            throw new IllegalArgumentException("spam must be >= 0, got " + spam);
        }
    }

    static LabelCounts of(Collection<CorpusEmail> emails) {
        int spam = (int) emails.stream().filter(e -> SpamAssassinCorpus.SPAM.equals(e.example().label())).count();
        return new LabelCounts(emails.size() - spam, spam);
    }

    public int total() {
        return ham + spam;
    }
}

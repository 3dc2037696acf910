package dev.adapterloop.bundled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.dataset.LabeledExample;
import org.junit.jupiter.api.Test;

class CorpusRecordsTest {
    private static final String MD5 = "317e78fa8ee2f54cd4890fdc09ba8176";
    private static final LabeledExample EXAMPLE = new LabeledExample("t", "ham");

    @Test
    void corpusEmailNamesTheBadValue() {
        assertThatThrownBy(() -> new CorpusEmail(" ", "spam-1", MD5, EXAMPLE))
                .hasMessage("id must not be blank, got  ");
        assertThatThrownBy(() -> new CorpusEmail("1", "", MD5, EXAMPLE)).hasMessage("group must not be blank, got ");
        assertThatThrownBy(() -> new CorpusEmail("1", "spam-1", MD5.toUpperCase(), EXAMPLE))
                .hasMessage("md5 must be 32 lowercase hex digits, got " + MD5.toUpperCase());
        assertThat(new CorpusEmail("1", "spam-1", MD5, EXAMPLE).split()).isEqualTo(Split.TRAIN);
    }

    @Test
    void statsMustAddUp() {
        LabelCounts train = new LabelCounts(3, 1);
        LabelCounts heldOut = new LabelCounts(1, 0);

        CorpusStats stats = new CorpusStats(new LabelCounts(5, 2), 1, 1, 0, 2, train, heldOut);

        assertThat(stats.emailsRead()).isEqualTo(7);
        assertThat(stats.kept()).isEqualTo(5);
        assertThat(stats.summary()).contains("read:     5 ham, 2 spam (7)", "train:    3 ham, 1 spam (4)",
                "2 lenient part");
        assertThatThrownBy(() -> new CorpusStats(new LabelCounts(6, 2), 1, 1, 0, 2, train, heldOut))
                .hasMessage("emails read (8) must equal kept (5) + duplicatesDropped (1) + emptyDropped (1)");
        assertThatThrownBy(() -> new CorpusStats(new LabelCounts(5, 0), 0, 0, -1, 0, train, heldOut))
                .hasMessage("rawBodyFallbacks must be >= 0, got -1");
        assertThatThrownBy(() -> new LabelCounts(-1, 0)).hasMessage("ham must be >= 0, got -1");
    }
}

package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.registry.AliasChange;
import dev.adapterloop.registry.AliasesDocument;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChampionHistoryTest {

    private final List<AliasesDocument> history = new ArrayList<>();

    private void move(String alias, String from, String to, String reason) {
        long generation = history.size() + 1;
        history.add(new AliasesDocument(AliasesDocument.SCHEMA_VERSION, "spam", generation, Map.of(),
                "2026-12-07T00:00:0" + generation + "Z", "system:test", "w" + generation,
                new AliasChange(alias, from, to, reason)));
    }

    @Test
    void aReturnToAnEarlierChampionRollsBackTheOneItLeaves() {
        move("champion", null, "v1", "gate");
        move("challenger", null, "v2", "gate");
        move("champion", "v1", "v2", "A/B test: better");
        move("challenger", "v2", "v1", "hold-back");
        move("champion", "v2", "v1", "roll-back: error rate");

        assertThat(ChampionHistory.rollBacks(history)).singleElement().satisfies(r -> {
            assertThat(r.version()).isEqualTo("v2");
            assertThat(r.restored()).isEqualTo("v1");
            assertThat(r.generation()).isEqualTo(5);
            assertThat(r.reason()).isEqualTo("roll-back: error rate");
            assertThat(r.by()).isEqualTo("system:test");
            assertThat(r.at()).isEqualTo("2026-12-07T00:00:05Z");
        });
    }

    @Test
    void movingOnToANewVersionIsNoRollBackWhateverTheReasonSays() {
        move("champion", null, "v1", "gate");
        move("champion", "v1", "v2", "roll back to the better one");
        move("champion", "v2", "v3", "rollback");
        move("champion", "v3", null, "cleared");
        move("champion", null, "v4", "gate");
        move("challenger", null, "v1", "an earlier champion as challenger");

        assertThat(ChampionHistory.rollBacks(history)).isEmpty();
    }

    @Test
    void aVersionRolledBackTwiceIsListedTwiceAndItsRePromotionIsNoRollBack() {
        move("champion", null, "v1", "gate");
        move("champion", "v1", "v2", "promoted");
        move("champion", "v2", "v1", "operator: back");
        move("champion", "v1", "v2", "promoted again");
        move("champion", "v2", "v1", "operator: back again");
        // An earlier champion that the alias passed through long ago still counts as one.
        move("champion", "v1", "v3", "promoted");
        move("champion", "v3", "v2", "back to v2");
        List<AliasesDocument> shuffled = new ArrayList<>(history);
        Collections.reverse(shuffled);

        List<ChampionHistory.RollBack> rollBacks = ChampionHistory.rollBacks(shuffled);
        assertThat(rollBacks).extracting(ChampionHistory.RollBack::version).containsExactly("v2", "v2", "v3");
        assertThat(ChampionHistory.lastByVersion(rollBacks).get("v2").reason()).isEqualTo("operator: back again");
        assertThat(ChampionHistory.lastByVersion(rollBacks).get("v3").restored()).isEqualTo("v2");
    }

    @Test
    void entriesWithoutAChangeAreSkipped() {
        history.add(new AliasesDocument(AliasesDocument.SCHEMA_VERSION, "spam", 0, Map.of(), null, null, null, null));
        move("champion", null, "v1", "gate");
        assertThat(ChampionHistory.rollBacks(history)).isEmpty();
    }
}

package dev.adapterloop.promotion;

import dev.adapterloop.registry.AliasChange;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasesDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which versions were rolled back, read from a task's alias history (the audit trail {@link AliasStore} keeps, one
 * document per change). A version is rolled back when the champion alias leaves it for a version that had first
 * been champion before it first was: the online test's roll-back ({@link Transition#rollBack}) does exactly that, and
 * so does an operator who points the alias back by hand. Moving on to a version that first reigned later, or never,
 * is a promotion, not a roll-back, whatever the reason text says (re-promoting a version once rolled back is not a
 * roll-back of the one it replaces); clearing the alias is neither. Pure: the caller reads the history.
 */
public final class ChampionHistory {

    /**
     * The champion left {@code version} for {@code restored}, an earlier champion, at history entry
     * {@code generation}.
     */
    public record RollBack(String version, String restored, long generation, String at, String by, String reason) {
    }

    private ChampionHistory() {
    }

    /**
     * The roll-backs in {@code history} (any order; entries without a recorded change, such as generation 0, are
     * skipped), oldest first. A version rolled back twice (promoted again in between) is listed twice.
     */
    public static List<RollBack> rollBacks(List<AliasesDocument> history) {
        List<AliasesDocument> ordered = new ArrayList<>(history);
        ordered.sort((a, b) -> Long.compare(a.generation(), b.generation()));
        // When each version first became champion; a version seen only as a 'from' (history cut short) reigned first
        // no later than that entry.
        Map<String, Long> firstReign = new HashMap<>();
        List<RollBack> rollBacks = new ArrayList<>();
        for (AliasesDocument entry : ordered) {
            AliasChange change = entry.change();
            if (change == null || !AliasStore.CHAMPION.equals(change.alias())) {
                continue;
            }
            if (change.from() != null) {
                firstReign.putIfAbsent(change.from(), entry.generation() - 1);
            }
            if (change.from() != null && change.to() != null && !change.to().equals(change.from())
                    && firstReign.containsKey(change.to())
                    && firstReign.get(change.to()) < firstReign.get(change.from())) {
                rollBacks.add(new RollBack(change.from(), change.to(), entry.generation(), entry.updatedAt(),
                        entry.updatedBy(), change.reason()));
            }
            if (change.to() != null) {
                firstReign.putIfAbsent(change.to(), entry.generation());
            }
        }
        return rollBacks;
    }

    /** The last roll-back of each version in {@code rollBacks}, by version. */
    public static Map<String, RollBack> lastByVersion(List<RollBack> rollBacks) {
        Map<String, RollBack> last = new LinkedHashMap<>();
        rollBacks.forEach(r -> last.put(r.version(), r));
        return last;
    }
}

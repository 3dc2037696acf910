package dev.adapterloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way between the stages: no package of the product may depend, directly or through others, on a
 * package that depends on it. Read from the sources (imports and qualified names), so it needs no tool.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "adapterloop");
    private static final Pattern PACKAGE = Pattern.compile("^package dev\\.adapterloop\\.(\\w+)", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("dev\\.adapterloop\\.(\\w+)\\.");

    @Test
    void thePackagesOfTheProductFormNoCycle() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses).containsKeys("intake", "training", "promotion", "serving", "config");
        List<String> cycles = new ArrayList<>();
        for (String from : uses.keySet()) {
            for (String to : uses.get(from)) {
                if (reachable(uses, to).contains(from)) {
                    cycles.add(from + " -> " + to + " -> ... -> " + from);
                }
            }
        }
        assertThat(cycles).as("package dependencies %s", uses).isEmpty();
    }

    /**
     * The runtime both stages use lives in {@code engine}: serving never reaches into training for it, and the engine
     * knows neither stage.
     */
    @Test
    void servingAndTrainingShareTheEngineAndNeitherImportsTheOther() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses.get("serving")).as("serving uses").contains("engine").doesNotContain("training");
        assertThat(uses.get("training")).as("training uses").contains("engine").doesNotContain("serving");
        assertThat(reachable(uses, "engine")).as("engine reaches").doesNotContain("training", "serving");
    }

    /** A method is a plug-in: the shared adapter core reaches methods only through the registry, never by import. */
    @Test
    void theAdapterCoreImportsNoMethod() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve("adapters"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(file)).as(file.toString())
                        .doesNotContainPattern("dev\\.adapterloop\\.adapters\\.\\w+\\.");
            }
        }
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(source);
                if (!pkg.find()) {
                    continue;
                }
                String from = pkg.group(1);
                Set<String> targets = uses.computeIfAbsent(from, p -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(source);
                while (reference.find()) {
                    if (!reference.group(1).equals(from)) {
                        targets.add(reference.group(1));
                    }
                }
            }
        }
        return uses;
    }

    private static Set<String> reachable(Map<String, Set<String>> uses, String start) {
        Set<String> seen = new TreeSet<>();
        List<String> pending = new ArrayList<>(List.of(start));
        while (!pending.isEmpty()) {
            for (String next : uses.getOrDefault(pending.removeLast(), Set.of())) {
                if (seen.add(next)) {
                    pending.add(next);
                }
            }
        }
        return seen;
    }
}

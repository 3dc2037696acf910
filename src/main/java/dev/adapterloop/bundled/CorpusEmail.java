package dev.adapterloop.bundled;

import dev.adapterloop.dataset.LabeledExample;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One email of the bundled corpus as a labeled example, with where it came from: its group (e.g. {@code spam-2}), its
 * id within the group ({@code 00001}) and the MD5 the corpus lists for it, which also fixes its {@link Split}.
 */
public record CorpusEmail(String id, String group, String md5, LabeledExample example) {
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");

    public CorpusEmail {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank, got " + id);
        }
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("group must not be blank, got " + group);
        }
        if (md5 == null || !MD5.matcher(md5).matches()) {
            throw new IllegalArgumentException("md5 must be 32 lowercase hex digits, got " + md5);
        }
        Objects.requireNonNull(example, "example");
    }

    public Split split() {
        return Split.ofMd5(md5);
    }
}

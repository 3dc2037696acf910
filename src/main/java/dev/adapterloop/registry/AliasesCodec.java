package dev.adapterloop.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes {@link AliasesDocument}s, and refuses one that is not what the registry wrote: every problem is a
 * {@link CorruptObjectException} naming the key, so an operator knows which object to look at.
 */
final class AliasesCodec {
    /** Lowercase, so that "Champion" and "champion" cannot be two aliases. */
    static final Pattern ALIAS_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private AliasesCodec() {
    }

    static byte[] write(AliasesDocument document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write the aliases of task '" + document.task() + "'", e);
        }
    }

    /**
     * Parses {@code bytes} read from {@code key} and checks them against what the key says.
     *
     * @param generation the generation the key implies (a history entry), or -1 for {@code aliases.json}
     */
    static AliasesDocument read(String key, byte[] bytes, String task, long generation) {
        AliasesDocument document;
        try {
            document = JSON.readValue(bytes, AliasesDocument.class);
        } catch (JacksonException e) {
            throw new CorruptObjectException(key, "not an aliases document (JSON expected): " + e.getOriginalMessage(), e);
        } catch (IOException e) { // Jackson declares it; bytes in memory cannot fail to read
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) { // a record's own validation, e.g. an invalid version id
            throw new CorruptObjectException(key, e.getMessage(), e);
        }
        if (document == null) {
            throw new CorruptObjectException(key, "it holds JSON null, not an aliases document", null);
        }
        if (document.schemaVersion() != AliasesDocument.SCHEMA_VERSION) {
            throw new CorruptObjectException(key, "schemaVersion is " + document.schemaVersion() + "; this build reads "
                    + AliasesDocument.SCHEMA_VERSION, null);
        }
        if (!task.equals(document.task())) {
            throw new CorruptObjectException(key, "it names task '" + document.task() + "', not '" + task + "'", null);
        }
        if (document.generation() < 1 || generation >= 0 && document.generation() != generation) {
            throw new CorruptObjectException(key, "generation is " + document.generation() + ", expected "
                    + (generation >= 0 ? String.valueOf(generation) : ">= 1"), null);
        }
        if (document.aliases() == null) {
            throw new CorruptObjectException(key, "it has no `aliases` object", null);
        }
        for (Map.Entry<String, AliasTarget> alias : document.aliases().entrySet()) {
            if (!ALIAS_NAME.matcher(alias.getKey()).matches() || alias.getValue() == null) {
                throw new CorruptObjectException(key, "alias '" + alias.getKey() + "' is not a valid alias entry", null);
            }
        }
        return document;
    }

    static String requireAlias(String alias) {
        if (alias == null || !ALIAS_NAME.matcher(alias).matches()) {
            throw new InvalidNameException("alias must be 1-63 lowercase letters, digits or '-' and start with a"
                    + " letter, got " + (alias == null ? "null" : ObjectKeys.quote(alias)));
        }
        return alias;
    }
}

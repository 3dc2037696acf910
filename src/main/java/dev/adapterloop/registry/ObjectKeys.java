package dev.adapterloop.registry;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one check for object keys that come from outside (events, requests, manifests): a key names an object inside
 * the configured bucket, under a known prefix, and nothing else. Each rejection says what is wrong with the key.
 */
public final class ObjectKeys {
    /** S3's limit on a key's UTF-8 length. */
    public static final int MAX_KEY_BYTES = 1024;

    private static final Pattern URL_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);
    private static final int QUOTE_LIMIT = 80;

    private ObjectKeys() {
    }

    /**
     * Returns {@code key} if it is a plain relative key under {@code requiredPrefix}, else throws
     * {@link IllegalArgumentException} naming the problem, e.g. "dataset key 'x/../y' contains a '..' segment".
     * The noun comes from the prefix's first segment ({@code datasets/} → "dataset key").
     *
     * @param requiredPrefix a folder such as {@code datasets/} or {@code datasets/spam/}; a missing trailing
     *                       {@code /} is implied; {@code null} or empty allows any key in the bucket
     */
    public static String validate(String key, String requiredPrefix) {
        String what = noun(requiredPrefix) + " key";
        checkShape(what, key, false);
        String prefix = folder(requiredPrefix);
        if (!prefix.isEmpty() && !key.startsWith(prefix)) {
            throw new IllegalArgumentException(what + " " + quote(key) + " is not under '" + prefix + "'");
        }
        return key;
    }

    /** Returns {@code prefix} if it is a valid listing prefix: empty, or relative key text that may end with '/'. */
    public static String validatePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        checkShape("prefix", prefix, true);
        return prefix;
    }

    private static void checkShape(String what, String key, boolean folderAllowed) {
        if (key == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (key.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(what + " " + quote(key) + " is " + bytes + " bytes long (UTF-8); the limit is "
                    + MAX_KEY_BYTES);
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException(what + " " + quote(key) + " contains a control character ("
                        + String.format(Locale.ROOT, "U+%04X", (int) key.charAt(i)) + ") at index " + i);
            }
        }
        if (URL_SCHEME.matcher(key).matches()) {
            throw new IllegalArgumentException(what + " " + quote(key) + " is a URL, not a key: give the key inside the"
                    + " configured bucket, without scheme or bucket");
        }
        if (key.regionMatches(true, 0, "arn:", 0, 4)) {
            throw new IllegalArgumentException(what + " " + quote(key) + " is an ARN naming a bucket: give the key"
                    + " inside the configured bucket");
        }
        if (key.indexOf('\\') >= 0) {
            throw new IllegalArgumentException(what + " " + quote(key) + " contains a backslash; keys use '/'");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException(what + " " + quote(key) + " is an absolute path; keys are relative to"
                    + " the bucket");
        }
        String[] segments = key.split("/", -1);
        int last = folderAllowed && key.endsWith("/") ? segments.length - 1 : segments.length;
        for (int i = 0; i < last; i++) {
            switch (segments[i]) {
                case ".." -> throw new IllegalArgumentException(what + " " + quote(key) + " contains a '..' segment");
                case "." -> throw new IllegalArgumentException(what + " " + quote(key) + " contains a '.' segment");
                case "" -> throw new IllegalArgumentException(what + " " + quote(key)
                        + (i == segments.length - 1 ? " ends with '/'; a key names an object, not a folder"
                                : " contains an empty segment ('//')"));
                default -> {
                }
            }
        }
    }

    private static String folder(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** {@code datasets/spam/} → "dataset"; {@code models} → "model"; no prefix → "object". */
    private static String noun(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "object";
        }
        String first = prefix.split("/", 2)[0];
        if (first.isEmpty()) {
            return "object";
        }
        return first.length() > 1 && first.endsWith("s") ? first.substring(0, first.length() - 1) : first;
    }

    /** The key in quotes for a message: control characters escaped, long keys cut. */
    static String quote(String key) {
        StringBuilder out = new StringBuilder("'");
        int end = Math.min(key.length(), QUOTE_LIMIT);
        for (int i = 0; i < end; i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (end < key.length()) {
            out.append("…");
        }
        return out.append('\'').toString();
    }
}

package dev.adapterloop.model;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The Python {@code str} methods Hugging Face chat templates call ({@code content.strip()},
 * {@code content.split('</think>')[-1].lstrip('\n')}, {@code content.startswith('<tool_response>')}, ...). Jinja2 runs
 * them as Python does; Jinjava would call the Java {@code String} method of that name, and Java has no
 * {@code startswith} and a regex {@code split} that drops trailing empty parts, so this resolver answers them first.
 * Unknown methods fall through to Jinjava (and fail the render there).
 */
final class PythonStringMethods extends ELResolver {

    private static final Set<String> METHODS =
            Set.of("startswith", "endswith", "strip", "lstrip", "rstrip", "split", "upper", "lower", "replace");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String text) || !(method instanceof String name) || !METHODS.contains(name)) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = switch (name) {
            case "startswith", "endswith" -> affix(text, name, args);
            case "strip" -> strip(text, chars(name, args), true, true);
            case "lstrip" -> strip(text, chars(name, args), true, false);
            case "rstrip" -> strip(text, chars(name, args), false, true);
            case "split" -> split(text, args);
            case "upper" -> text.toUpperCase(java.util.Locale.ROOT);
            case "lower" -> text.toLowerCase(java.util.Locale.ROOT);
            case "replace" -> replace(text, args);
            default -> throw new IllegalStateException(name);
        };
        context.setPropertyResolved(true);
        return result;
    }

    /** {@code startswith(prefix)} / {@code endswith(suffix)}, the argument a string or a tuple of strings. */
    private static boolean affix(String text, String name, Object[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("str." + name + " is supported with one argument, got " + args.length);
        }
        Collection<?> options = args[0] instanceof Collection<?> many ? many : List.of(String.valueOf(args[0]));
        for (Object option : options) {
            String affix = String.valueOf(option);
            if (name.equals("startswith") ? text.startsWith(affix) : text.endsWith(affix)) {
                return true;
            }
        }
        return false;
    }

    /** The characters to strip: none given (or None) means whitespace, as in Python. */
    private static String chars(String name, Object[] args) {
        if (args.length > 1) {
            throw new IllegalArgumentException("str." + name + " takes at most one argument, got " + args.length);
        }
        return args.length == 0 || args[0] == null ? null : String.valueOf(args[0]);
    }

    private static String strip(String text, String chars, boolean left, boolean right) {
        int start = 0;
        int end = text.length();
        while (left && start < end && strips(text.charAt(start), chars)) {
            start++;
        }
        while (right && end > start && strips(text.charAt(end - 1), chars)) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean strips(char c, String chars) {
        return chars == null ? isPythonSpace(c) : chars.indexOf(c) >= 0;
    }

    /** Python's {@code str.isspace} for one char: Unicode white space, incl. no-break space and NEL. */
    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /**
     * {@code split(sep=None, maxsplit=-1)}: with a separator, literal and keeping empty parts ({@code 'a,'.split(',')}
     * is {@code ['a', '']}); without, runs of white space and no empty parts.
     */
    private static List<String> split(String text, Object[] args) {
        if (args.length > 2) {
            throw new IllegalArgumentException("str.split takes at most two arguments, got " + args.length);
        }
        String sep = args.length == 0 || args[0] == null ? null : String.valueOf(args[0]);
        long maxSplit = args.length == 2 ? ((Number) args[1]).longValue() : -1;
        List<String> parts = new ArrayList<>();
        if (sep != null) {
            if (sep.isEmpty()) {
                throw new IllegalArgumentException("str.split: empty separator");
            }
            int from = 0;
            int at;
            while ((maxSplit < 0 || parts.size() < maxSplit) && (at = text.indexOf(sep, from)) >= 0) {
                parts.add(text.substring(from, at));
                from = at + sep.length();
            }
            parts.add(text.substring(from));
            return parts;
        }
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && isPythonSpace(text.charAt(i))) {
                i++;
            }
            if (i == n) {
                return parts;
            }
            if (maxSplit >= 0 && parts.size() == maxSplit) {
                parts.add(text.substring(i)); // the rest as it is, trailing space included
                return parts;
            }
            int start = i;
            while (i < n && !isPythonSpace(text.charAt(i))) {
                i++;
            }
            parts.add(text.substring(start, i));
        }
    }

    private static String replace(String text, Object[] args) {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("str.replace takes two or three arguments, got " + args.length);
        }
        String old = String.valueOf(args[0]);
        String replacement = String.valueOf(args[1]);
        long count = args.length == 3 ? ((Number) args[2]).longValue() : -1;
        if (count < 0) {
            return text.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        int at;
        for (long done = 0; done < count && !old.isEmpty() && (at = text.indexOf(old, from)) >= 0; done++) {
            out.append(text, from, at).append(replacement);
            from = at + old.length();
        }
        return out.append(text.substring(from)).toString();
    }

    // Only method calls are resolved here; properties go to Jinjava's resolvers.

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}

package dev.adapterloop.model;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import com.hubspot.jinjava.tree.Node;
import dev.adapterloop.dataset.ChatTurn;
import dev.adapterloop.dataset.CompletionExample;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;

/**
 * A checkpoint's chat template ({@code tokenizer_config.json}'s {@code chat_template}), rendered as transformers'
 * {@code tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=...)} renders it: Jinja with
 * {@code trim_blocks} and {@code lstrip_blocks}, a template's single trailing newline dropped (Jinja2's
 * {@code keep_trailing_newline=False}), {@code raise_exception(msg)}, a {@code tojson} that writes what Python's
 * {@code json.dumps(ensure_ascii=False)} writes, {@code bos_token}/{@code eos_token} and Python's {@code str} methods
 * (see {@link PythonStringMethods}). The engine is Jinjava; docs/decoders.md#chat-templates lists what differs.
 *
 * <p>The template is parsed once; {@link #render} may be called from many threads (each render has its own Jinjava
 * context and interpreter, the parsed tree is only read).
 */
public final class ChatTemplate {

    private static final Pattern REVERSED = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)\\[::-1]");
    private static final Pattern LINE_INDENT_BEFORE_TAG = Pattern.compile("(?m)^[ \\t]+(?=\\{[%#](?!\\+))");
    private static final Pattern TAG_KEEPING_INDENT = Pattern.compile("\\{([%#])\\+");
    private static final Pattern NAMESPACE_CALL = Pattern.compile("\\bnamespace\\s*\\(");
    private static final Pattern KEYWORD_ARGUMENT = Pattern.compile("\\s*([A-Za-z_]\\w*)\\s*=(?!=)(.*)", Pattern.DOTALL);
    private static final JinjavaConfig CONFIG = JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            // lstrip_blocks is applied to the source (jinjaSource): Jinjava's strips the spaces before every tag,
            // Jinja2 only those that start the tag's line ("next: {% endif %}" keeps its space)
            .withLstripBlocks(false)
            // Jinjava's overrides towards Jinja2's behaviour (operator precedence, dict keys, loop values, pyish
            // output); not its strict whitespace-control parsing, which leaves {%- ... %} tags unparsed as text
            .withLegacyOverrides(LegacyOverrides.newBuilder()
                    .withEvaluateMapKeys(true)
                    .withIterateOverMapKeys(true)
                    .withUsePyishObjectMapper(true)
                    .withUseNaturalOperatorPrecedence(true)
                    .withAllowAdjacentTextNodes(true)
                    .withUseTrimmingForNotesAndExpressions(true)
                    .withKeepNullableLoopValues(true)
                    .build())
            .withElResolver(new CompositeELResolver() {
                {
                    add(new PythonStringMethods());
                    add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
                }
            })
            // these filters need jars pom.xml leaves out; a chat template has no use for them
            .withDisabled(Map.of(Context.Library.FILTER, Set.of("ipaddr", "ipv4", "ipv6", "b64encode", "b64decode")))
            .build();
    private static final Jinjava ENGINE = engine();

    private final String source;
    private final Node root;
    private final Map<String, Object> specialTokens;

    private ChatTemplate(String source, Node root, Map<String, Object> specialTokens) {
        this.source = source;
        this.root = root;
        this.specialTokens = specialTokens;
    }

    /**
     * Compiles {@code source}; {@code bosToken}/{@code eosToken} are what the template sees as {@code bos_token} and
     * {@code eos_token} (undefined when empty).
     *
     * @throws IllegalArgumentException the template does not parse
     */
    public static ChatTemplate compile(String source, Optional<String> bosToken, Optional<String> eosToken) {
        Objects.requireNonNull(source, "source");
        String text = jinjaSource(source);
        JinjavaInterpreter interpreter = interpreter(Map.of());
        Node root;
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            root = interpreter.parse(text);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        List<TemplateError> errors = fatal(interpreter.getErrorsCopy());
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("the chat template does not parse: " + describe(errors));
        }
        Map<String, Object> tokens = new HashMap<>();
        bosToken.ifPresent(token -> tokens.put("bos_token", token));
        eosToken.ifPresent(token -> tokens.put("eos_token", token));
        return new ChatTemplate(source, root, Map.copyOf(tokens));
    }

    /**
     * The base model's default chat template with its BOS and EOS strings.
     *
     * @throws IllegalArgumentException tokenizer_config.json has no (default) chat template, or it does not parse
     */
    public static ChatTemplate of(TokenizerSettings settings) {
        String template = settings.chatTemplate().orElseThrow(() -> new IllegalArgumentException(
                settings.hasChatTemplate()
                        ? "the base model's tokenizer_config.json has chat templates " + settings.chatTemplates().keySet()
                          + " but none named 'default'; chat datasets need the default one"
                        : "the base model's tokenizer_config.json has no chat_template; chat datasets need one — use "
                          + "prompt/completion records or add a template"));
        return compile(template, settings.bos().map(TokenizerSettings.SpecialToken::content),
                settings.eos().map(TokenizerSettings.SpecialToken::content));
    }

    /** The template text as tokenizer_config.json gives it. */
    public String source() {
        return source;
    }

    /**
     * {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=addGenerationPrompt)}.
     *
     * @throws IllegalArgumentException the template raised ({@code raise_exception}: its message is quoted) or failed
     */
    public String render(List<ChatTurn> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatTurn message : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", message.role());
            turn.put("content", message.content());
            turns.add(turn);
        }
        Map<String, Object> bindings = new HashMap<>(specialTokens);
        bindings.put("messages", turns);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        JinjavaInterpreter interpreter = interpreter(bindings);
        String output;
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            output = interpreter.render(root);
        } catch (RuntimeException e) {
            throw failure(List.of(TemplateError.fromException(e)));
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        List<TemplateError> errors = fatal(interpreter.getErrorsCopy());
        if (!errors.isEmpty()) {
            throw failure(errors);
        }
        return output;
    }

    /**
     * Splits a conversation for completion-only training: the prompt is everything before the final assistant turn
     * with the generation prompt ({@code render(all but the last, true)}), the completion is the rest of the full
     * render ({@code render(all, false)}) after that prompt: the assistant's text and whatever the template puts
     * around it, such as Qwen3's empty {@code <think>} block and the end-of-turn {@code <|im_end|>}, so the model
     * learns to stop.
     *
     * @throws IllegalArgumentException no messages, the last one is not the assistant's or is empty, or the template
     *                                  refuses the conversation
     */
    public CompletionExample split(List<ChatTurn> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat record needs messages, got none");
        }
        ChatTurn last = messages.getLast();
        if (!last.role().equals("assistant")) {
            throw new IllegalArgumentException("a chat record for training must end with the assistant's message, the "
                    + "last one is the " + last.role() + "'s");
        }
        if (last.content().isBlank()) {
            throw new IllegalArgumentException("the final assistant message is empty: there is nothing to learn");
        }
        String prompt = render(messages.subList(0, messages.size() - 1), true);
        String full = render(messages, false);
        if (full.startsWith(prompt) && full.length() > prompt.length()) {
            return new CompletionExample(prompt, full.substring(prompt.length()));
        }
        // The template renders earlier turns differently once an answer follows (some drop the reasoning of past
        // turns, or the generation prompt differs from the assistant header): no prefix to cut at, so the completion
        // is the assistant's text alone, without the template's end-of-turn.
        return new CompletionExample(prompt, last.content());
    }

    private static Jinjava engine() {
        Jinjava engine = new Jinjava(CONFIG);
        // a checkpoint's template may not read files or classpath resources through include/import/extends
        engine.setResourceLocator((name, encoding, interpreter) -> {
            throw new ResourceNotFoundException("chat templates cannot include other templates: " + name);
        });
        try {
            engine.registerFunction(new ELFunctionDefinition("", "raise_exception",
                    TemplateFunctions.class.getMethod("raiseException", Object.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        engine.registerFilter(new PythonJsonFilter());
        return engine;
    }

    private static JinjavaInterpreter interpreter(Map<String, Object> bindings) {
        Context context = new Context(ENGINE.getGlobalContextCopy(), bindings, CONFIG.getDisabled());
        return new JinjavaInterpreter(ENGINE, context, CONFIG);
    }

    /**
     * What Jinja2 parses, in Jinjava's syntax: without the one trailing newline Jinja2 drops; with lstrip_blocks
     * done (the spaces and tabs between a line's start and a block or comment tag removed, except before
     * {@code {%+}); the reversal
     * {@code x[::-1]} (Qwen3's template) as {@code (x|reverse)}, since Jinjava's slices take no step; and
     * {@code namespace(...)}'s keyword values in parentheses, since Jinjava binds {@code name=value} tighter than
     * the operators in the value ({@code last_query_index=messages|length - 1} would subtract from the pair).
     */
    private static String jinjaSource(String source) {
        String text = source.endsWith("\r\n") ? source.substring(0, source.length() - 2)
                : source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        text = LINE_INDENT_BEFORE_TAG.matcher(text).replaceAll("");
        text = TAG_KEEPING_INDENT.matcher(text).replaceAll("{$1");
        text = REVERSED.matcher(text).replaceAll(match -> "(" + Matcher.quoteReplacement(match.group(1)) + "|reverse)");
        StringBuilder out = new StringBuilder();
        int from = 0;
        Matcher call = NAMESPACE_CALL.matcher(text);
        while (call.find(from)) {
            int close = closing(text, call.end() - 1);
            if (close < 0) {
                break; // unbalanced: left for the parser to report
            }
            out.append(text, from, call.end());
            List<String> arguments = new ArrayList<>();
            for (String argument : topLevelArguments(text.substring(call.end(), close))) {
                Matcher keyword = KEYWORD_ARGUMENT.matcher(argument);
                arguments.add(keyword.matches() ? keyword.group(1) + "=(" + keyword.group(2).strip() + ")" : argument);
            }
            out.append(String.join(",", arguments)).append(')');
            from = close + 1;
        }
        return out.append(text.substring(from)).toString();
    }

    /** The index of the bracket closing the one at {@code open}, skipping quoted strings; -1 if there is none. */
    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(text, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int endOfString(String text, int start) {
        char quote = text.charAt(start);
        for (int i = start + 1; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == quote) {
                return i;
            }
        }
        return text.length();
    }

    /** {@code arguments} split at the commas outside brackets and strings. */
    private static List<String> topLevelArguments(String arguments) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(arguments, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(arguments.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(arguments.substring(start));
        return parts;
    }

    private static List<TemplateError> fatal(List<TemplateError> errors) {
        return errors.stream().filter(error -> error.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    }

    private static IllegalArgumentException failure(List<TemplateError> errors) {
        for (TemplateError error : errors) {
            for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
                if (cause instanceof TemplateRaised raised) {
                    return new IllegalArgumentException("the chat template refused the conversation: "
                            + raised.getMessage());
                }
            }
        }
        return new IllegalArgumentException("the chat template failed: " + describe(errors));
    }

    private static String describe(List<TemplateError> errors) {
        List<String> messages = new ArrayList<>();
        for (TemplateError error : errors) {
            messages.add("line " + error.getLineno() + ": " + error.getMessage());
        }
        return String.join("; ", messages);
    }

    /** What {@code raise_exception} throws: the template's own message. */
    private static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message, null, false, false);
        }
    }

    /** Functions the templates call; public only because Jinjava invokes them by reflection. */
    public static final class TemplateFunctions {
        private TemplateFunctions() {
        }

        /** transformers' {@code raise_exception(message)}. */
        public static Object raiseException(Object message) {
            throw new TemplateRaised(String.valueOf(message));
        }
    }

    /**
     * transformers' {@code tojson}: {@code json.dumps(value, ensure_ascii=False, indent=indent)}, i.e. ", " and ": "
     * between items (", " becomes "," with an indent), non-ASCII text as it is, no HTML escaping.
     */
    private static final class PythonJsonFilter implements Filter {

        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            for (String name : kwargs.keySet()) {
                if (!name.equals("indent")) {
                    throw new IllegalArgumentException("tojson: only 'indent' is supported, got '" + name + "'");
                }
            }
            if (args.length > 0) {
                throw new IllegalArgumentException("tojson: only the keyword argument 'indent' is supported");
            }
            Object indent = kwargs.get("indent");
            StringBuilder out = new StringBuilder();
            write(out, var, indent == null ? -1 : ((Number) indent).intValue(), 0);
            return out.toString();
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }

        private static void write(StringBuilder out, Object value, int indent, int depth) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Boolean || value instanceof Number) {
                out.append(value);
            } else if (value instanceof Map<?, ?> map) {
                List<Runnable> items = new ArrayList<>();
                map.forEach((key, item) -> items.add(() -> {
                    string(out, String.valueOf(key));
                    out.append(": ");
                    write(out, item, indent, depth + 1);
                }));
                container(out, '{', '}', items, indent, depth);
            } else if (value instanceof Collection<?> || value instanceof Object[]) {
                Collection<?> list = value instanceof Object[] array ? List.of(array) : (Collection<?>) value;
                List<Runnable> items = new ArrayList<>();
                for (Object item : list) {
                    items.add(() -> write(out, item, indent, depth + 1));
                }
                container(out, '[', ']', items, indent, depth);
            } else {
                string(out, value.toString());
            }
        }

        private static void container(StringBuilder out, char open, char close, List<Runnable> items, int indent,
                int depth) {
            out.append(open);
            if (items.isEmpty()) {
                out.append(close);
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(indent < 0 ? ", " : ",");
                }
                if (indent >= 0) {
                    out.append('\n').append(" ".repeat(indent * (depth + 1)));
                }
                items.get(i).run();
            }
            if (indent >= 0) {
                out.append('\n').append(" ".repeat(indent * depth));
            }
            out.append(close);
        }

        /** A JSON string as Python writes it with ensure_ascii=False: only '"', '\' and control characters escaped. */
        private static void string(StringBuilder out, String text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}

package dev.adapterloop.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.adapterloop.serving.ServingProblem.Kind;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a predictions body as a stream, holding no more than the texts it will answer: it stops at the
 * {@code max-batch + 1}-th text, at a text longer than {@code max-text-chars} (Jackson stops reading the string
 * itself there) and at {@link #maxBytes} bytes, each with the problem that names the limit. Reading the whole body
 * into a tree first let a few concurrent 10 MB bodies exhaust the heap before the batch limit was ever checked.
 */
final class PredictionBody {

    /**
     * One text, or a batch in input order; the routing key may be null; {@code version} names the adapter version
     * to answer with instead of the task's routing (null: champion or challenger).
     */
    record Request(String key, List<String> texts, boolean batch, String version) {
    }

    /** Room for the routing key, the field names and whitespace. */
    static final long OVERHEAD_BYTES = 64 * 1024;
    /** The longest JSON a UTF-16 unit can take: an escape such as {@code \u00e9}, which ASCII-only encoders send. */
    static final int MAX_BYTES_PER_CHAR = 6;

    private final JsonFactory json;
    private final int maxBatch;
    private final int maxTextChars;
    private final long maxBytes;

    PredictionBody(ServingConfig config) {
        this.maxBatch = config.maxBatch();
        this.maxTextChars = config.maxTextChars();
        this.maxBytes = maxBytes(config);
        this.json = JsonFactory.builder()
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE) // the rest of the body is drained after parsing
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxTextChars).build())
                .build();
    }

    /**
     * The largest body a legitimate request has: max-batch texts of max-text-chars characters, each character
     * escaped, with quotes and commas, plus {@link #OVERHEAD_BYTES}. Memory is bounded by the texts, not by this:
     * the body is never held whole.
     */
    static long maxBytes(ServingConfig config) {
        return (long) config.maxBatch() * ((long) MAX_BYTES_PER_CHAR * config.maxTextChars() + 3) + OVERHEAD_BYTES;
    }

    /** Parses {@code body}, then reads what is left of it (discarded) so that the connection can answer. */
    Request parse(String task, InputStream body) {
        Counted in = new Counted(body, maxBytes);
        try (JsonParser parser = json.createParser(in)) {
            return request(task, parser);
        } catch (Counted.TooLarge e) {
            throw tooLarge(task);
        } catch (StreamConstraintsException e) {
            throw new ServingProblem(Kind.TEXT_TOO_LONG, task, "a string in the body has more than " + maxTextChars
                    + " characters, at most " + maxTextChars + " allowed (adapterloop.serving.max-text-chars)");
        } catch (JsonProcessingException e) {
            throw malformed(task, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the predictions body of task " + task, e);
        } finally {
            in.drain();
        }
    }

    /** Reads {@code body} to its end (nothing is kept, and no further than the limit) for a request refused unread. */
    void discard(InputStream body) {
        new Counted(body, maxBytes).drain();
    }

    private Request request(String task, JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw malformed(task, "the body must be a JSON object with \"text\" or \"texts\"");
        }
        String key = null;
        List<String> texts = null;
        boolean batch = false;
        boolean sawKey = false;
        String version = null;
        boolean sawVersion = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "key" -> {
                    requireOnce(task, sawKey, field);
                    sawKey = true;
                    if (value != JsonToken.VALUE_NULL && value != JsonToken.VALUE_STRING) {
                        throw malformed(task, "\"key\" must be a string");
                    }
                    key = value == JsonToken.VALUE_NULL ? null : parser.getText();
                }
                case "version" -> {
                    requireOnce(task, sawVersion, field);
                    sawVersion = true;
                    if (value != JsonToken.VALUE_NULL && value != JsonToken.VALUE_STRING) {
                        throw malformed(task, "\"version\" must be a string (an adapter version id)");
                    }
                    version = value == JsonToken.VALUE_NULL ? null : parser.getText();
                }
                case "text", "texts" -> {
                    if (texts != null) {
                        throw malformed(task, batch == field.equals("texts") ? "\"" + field + "\" is given twice"
                                : "give exactly one of \"text\" (a string) and \"texts\" (a list of strings)");
                    }
                    batch = field.equals("texts");
                    texts = batch ? texts(task, parser) : List.of(text(task, parser, "\"text\" must be a string",
                            "text"));
                }
                default -> parser.skipChildren(); // unknown fields are ignored, without holding their values
            }
        }
        if (texts == null) {
            throw malformed(task, "give exactly one of \"text\" (a string) and \"texts\" (a list of strings)");
        }
        return new Request(key, texts, batch, version);
    }

    private List<String> texts(String task, JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw malformed(task, "\"texts\" must be a list of strings");
        }
        List<String> texts = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (texts.size() == maxBatch) { // the rest is not parsed: it could be anything up to maxBytes
                throw new ServingProblem(Kind.TOO_MANY_TEXTS, task, "at least " + (maxBatch + 1) + " texts in one"
                        + " request, at most " + maxBatch + " allowed (adapterloop.serving.max-batch)");
            }
            texts.add(text(task, parser, "\"texts\" must hold only strings, got " + typeOf(parser.currentToken()),
                    "text " + (texts.size() + 1)));
        }
        return texts;
    }

    private String text(String task, JsonParser parser, String notAString, String which) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw malformed(task, notAString);
        }
        try {
            return parser.getText();
        } catch (StreamConstraintsException e) {
            throw new ServingProblem(Kind.TEXT_TOO_LONG, task, which + " has more than " + maxTextChars
                    + " characters, at most " + maxTextChars + " allowed (adapterloop.serving.max-text-chars)");
        }
    }

    private static void requireOnce(String task, boolean seen, String field) {
        if (seen) {
            throw malformed(task, "\"" + field + "\" is given twice");
        }
    }

    /** The JSON type as a tree would name it. */
    private static String typeOf(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "OBJECT";
            case START_ARRAY -> "ARRAY";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
            case VALUE_NULL -> "NULL";
            default -> token.name();
        };
    }

    private ServingProblem tooLarge(String task) {
        return new ServingProblem(Kind.REQUEST_TOO_LARGE, task, "the body is larger than the " + maxBytes
                + " bytes a predictions request may have (adapterloop.serving.max-batch " + maxBatch + " texts of"
                + " adapterloop.serving.max-text-chars " + maxTextChars + " characters, each up to "
                + MAX_BYTES_PER_CHAR + " bytes as JSON, plus " + OVERHEAD_BYTES + ")");
    }

    private static ServingProblem malformed(String task, String detail) {
        return new ServingProblem(Kind.MALFORMED_REQUEST, task, detail);
    }

    /** Fails once more than {@code max} bytes came through; {@link #drain} discards the rest, up to that too. */
    private static final class Counted extends FilterInputStream {
        static final class TooLarge extends IOException {
            TooLarge() {
                super("the predictions body is over its limit");
            }
        }

        private final long max;
        private long count;

        Counted(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            counted(b == -1 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            counted(Math.max(n, 0));
            return n;
        }

        private void counted(int n) throws TooLarge {
            count += n;
            if (count > max) {
                throw new TooLarge();
            }
        }

        /**
         * A request refused before its end still has its body on the way: read it (nothing is kept) so that the
         * answer reaches the client, but no further than the limit; past that the connection is left to close.
         */
        void drain() {
            byte[] buffer = new byte[8192];
            try {
                while (read(buffer, 0, buffer.length) != -1) {
                    // discarded
                }
            } catch (IOException e) {
                // the client went away, or the body is too large: nothing more to read
            }
        }
    }
}

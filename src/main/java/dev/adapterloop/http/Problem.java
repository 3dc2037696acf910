package dev.adapterloop.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every error body of the HTTP API, in the form of RFC 9457 (which replaced RFC 7807), sent as
 * {@code application/problem+json}: {@code type} names the kind of problem (see {@link ProblemType}), {@code detail}
 * says what is wrong with this request, {@code instance} is the request's path. Extension members ({@code task},
 * {@code version}, {@code errors}, {@code errorId}, ...) are written at the top level, next to the standard ones, as
 * the RFC asks. docs/http-errors.md lists every type.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
public record Problem(String type, String title, int status, String detail, String instance,
                      @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions == null ? Map.of() : extensions));
    }

    /** A problem of {@code type} with its usual status and title. */
    public static Problem of(ProblemType type, String detail, String instance, Map<String, Object> extensions) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, extensions);
    }

    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions;
    }
}

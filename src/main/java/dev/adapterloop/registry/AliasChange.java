package dev.adapterloop.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one alias move that produced a generation: {@code from} → {@code to}; {@code to} is null when cleared. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AliasChange(String alias, String from, String to, String reason) {
}

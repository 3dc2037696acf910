package dev.adapterloop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A dataset object in the bucket; {@code records} and {@code sha256} are optional and checked when present. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DatasetRef(String key, Long records, String sha256) {
}

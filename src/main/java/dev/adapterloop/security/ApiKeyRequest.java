package dev.adapterloop.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key presented as {@code Authorization: Bearer al_...}; its own type, so JWT's provider never sees it. */
final class ApiKeyRequest extends BaseAuthenticationRequest {
    private final String key;

    ApiKeyRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyRequest[key hidden]";
    }
}

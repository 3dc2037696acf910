package dev.adapterloop.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Turns a presented API key into the identity of its name and roles, or refuses it. Hashing is quick: no worker. */
@ApplicationScoped
class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    /** The attribute of the exception for an unknown key, which the 401's detail tells from a refused JWT. */
    static final String UNKNOWN_API_KEY = "adapterloop.unknown-api-key";

    private final ApiKeys keys;

    ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        return keys.find(request.key())
                .<Uni<SecurityIdentity>>map(key -> Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(key.name()))
                        .addRoles(key.roles())
                        .build()))
                .orElseGet(() -> Uni.createFrom().failure(unknownKey()));
    }

    /** The message and attributes never hold the key. */
    static AuthenticationFailedException unknownKey() {
        return new AuthenticationFailedException("unknown API key", Map.of(UNKNOWN_API_KEY, true));
    }
}

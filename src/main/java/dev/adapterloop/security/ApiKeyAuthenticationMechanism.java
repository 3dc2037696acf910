package dev.adapterloop.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Set;

/**
 * API keys in the header JWTs use: {@code Authorization: Bearer al_...}. This mechanism runs before SmallRye JWT's
 * and takes only bearer tokens with the {@code al_} prefix (a JWT starts with {@code ey}); any other request it
 * leaves to JWT, so both work side by side.
 */
@ApplicationScoped
class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String BEARER = "bearer";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String key = presentedKey(context.request().getHeader(HttpHeaderNames.AUTHORIZATION));
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        context.put(HttpAuthenticationMechanism.class.getName(), this);
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(key), context));
    }

    /** The key of an {@code Authorization: Bearer al_...} header, or null for any other header or none. */
    static String presentedKey(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length() + 1
                || !authorization.substring(0, BEARER.length() + 1).toLowerCase(Locale.ROOT).equals(BEARER + " ")) {
            return null;
        }
        String token = authorization.substring(BEARER.length() + 1).strip();
        return token.startsWith(SecuritySetup.KEY_PREFIX) ? token : null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE,
                SecurityProblems.CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, BEARER));
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000; // before JWT's, which would try to parse an al_ key as a token
    }
}

package dev.adapterloop.security;

import dev.adapterloop.http.Problem;
import dev.adapterloop.http.ProblemAnswers;
import dev.adapterloop.http.ProblemType;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.AnnotatedElement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Refusals as problems (docs/http-errors.md): 401 {@code authentication-required} when no credentials came, 401
 * {@code invalid-credentials} when they were refused (both with {@code WWW-Authenticate: Bearer}, RFC 6750), 403
 * {@code forbidden} when the caller is known but lacks the role. No detail repeats what the caller sent.
 */
public class SecurityProblems {

    public static final String CHALLENGE = "Bearer realm=\"adapterloop\"";
    public static final String INVALID_TOKEN_CHALLENGE = CHALLENGE + ", error=\"invalid_token\"";

    private final SecurityIdentity identity;

    SecurityProblems(SecurityIdentity identity) {
        this.identity = identity;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unauthenticated(UnauthorizedException e, HttpServerRequest request) {
        return challenge(authenticationRequired(request.method().name(), request.path()));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> refused(AuthenticationFailedException e, HttpServerRequest request) {
        return challenge(invalidCredentials(e, request.path()));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, HttpServerRequest request,
                                           SimpleResourceInfo resource) {
        return ProblemAnswers.answer(forbidden(identity, request.method().name(), request.path(),
                requiredRoles(resource)));
    }

    static Problem authenticationRequired(String method, String path) {
        return Problem.of(ProblemType.AUTHENTICATION_REQUIRED, method + " " + path + " needs credentials: "
                + "'Authorization: Bearer <API key or JWT>' (docs/security.md)", path, Map.of());
    }

    static Problem invalidCredentials(AuthenticationFailedException e, String path) {
        String detail = e.getAttribute(ApiKeyIdentityProvider.UNKNOWN_API_KEY) != null
                ? "the API key is not one this service accepts (unknown, or revoked)"
                : "the bearer token was refused: not a JWT this service accepts (expired, another issuer or "
                        + "audience, a signature its keys do not verify, or malformed)";
        return Problem.of(ProblemType.INVALID_CREDENTIALS, detail, path, Map.of());
    }

    static Problem forbidden(SecurityIdentity who, String method, String path, List<String> needed) {
        String roles = needed.isEmpty() ? "a role it does not have"
                : (needed.size() == 1 ? "the role " : "one of the roles ") + String.join(", ", needed);
        return Problem.of(ProblemType.FORBIDDEN, "'" + who.getPrincipal().getName() + "' (roles "
                + new TreeSet<>(who.getRoles()) + ") may not " + method + " " + path + ": that needs " + roles,
                path, Map.of());
    }

    /** The {@code WWW-Authenticate} header a 401 problem goes with; none for other problems. */
    static Map<String, String> challengeHeaders(Problem problem) {
        if (problem.status() != 401) {
            return Map.of();
        }
        return Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(),
                problem.type().equals(ProblemType.INVALID_CREDENTIALS.uri()) ? INVALID_TOKEN_CHALLENGE : CHALLENGE);
    }

    private static RestResponse<Problem> challenge(Problem problem) {
        RestResponse.ResponseBuilder<Problem> answer = RestResponse.ResponseBuilder.<Problem>create(problem.status())
                .entity(problem)
                .header("Content-Type", Problem.MEDIA_TYPE);
        challengeHeaders(problem).forEach(answer::header);
        return answer.build();
    }

    /** The roles the resource method (or else its class) allows, for the 403's detail. */
    private static List<String> requiredRoles(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return List.of();
        }
        try {
            AnnotatedElement method = resource.getResourceClass().getMethod(resource.getMethodName(),
                    resource.parameterTypes());
            RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
            if (allowed == null) {
                allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
            }
            return allowed == null ? List.of() : Arrays.asList(allowed.value());
        } catch (NoSuchMethodException e) {
            return List.of();
        }
    }
}

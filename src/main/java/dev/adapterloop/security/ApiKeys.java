package dev.adapterloop.security;

import dev.adapterloop.embedded.EmbeddedInfrastructure;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API keys this process accepts, decided at start-up ({@link SecuritySetup}); a configuration that cannot be
 * served safely stops the start with the reason, first among the start-up observers (beans created before them, the
 * bucket's client among them, may already have reached Kafka or S3; until then no identity exists that any endpoint
 * would accept). A key generated for development is printed once, here, on standard output: it is not logged, so it
 * reaches no log file or collector.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@Singleton
public class ApiKeys {

    private final List<ApiKey> keys;

    @Inject
    ApiKeys(SecurityConfig config,
            @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> jwtIssuer,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> jwtPublicKey,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> jwtPublicKeyLocation,
            @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true") boolean httpEnabled,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int httpPort,
            @ConfigProperty(name = EmbeddedInfrastructure.STARTED) Optional<String> embeddedStarted) {
        SecuritySetup setup = SecuritySetup.decide(new SecuritySetup.Facts(config.apiKeys(), jwtIssuer,
                isSet(jwtPublicKey) || isSet(jwtPublicKeyLocation), httpEnabled,
                embeddedStarted.filter(s -> !s.isBlank()).isPresent(), LaunchMode.current() != LaunchMode.NORMAL));
        this.keys = setup.keys();
        setup.generatedKey().ifPresent(key -> announce(System.out, key, httpPort));
    }

    ApiKeys(List<ApiKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /** The key whose SHA-256 matches; every configured key is compared, so the time taken names none of them. */
    Optional<ApiKey> find(String presented) {
        byte[] digest = ApiKey.sha256Of(presented);
        ApiKey found = null;
        for (ApiKey key : keys) {
            if (key.matches(digest)) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    /** {@code NONE} is SmallRye JWT's own word for a key deliberately left out. */
    private static boolean isSet(Optional<String> key) {
        return key.filter(k -> !k.isBlank() && !k.equals("NONE")).isPresent();
    }

    static void announce(PrintStream out, String key, int httpPort) {
        out.printf("adapterloop: no API key and no JWT issuer is configured, so this run generated an admin API key "
                + "for itself (shown once, not logged; a new one at every start):%n    %s%n"
                + "  curl -H 'Authorization: Bearer %s' http://localhost:%d/api/tasks%n", key, key, httpPort);
        out.flush();
    }
}

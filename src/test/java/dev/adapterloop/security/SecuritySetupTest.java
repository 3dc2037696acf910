package dev.adapterloop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a process accepts, decided from configuration before it serves anything; and how a presented key is found. */
class SecuritySetupTest {

    private static final String KEY = "al_unit-test-key-1234567890abcdef";
    private static final String ISSUER = "https://issuer.adapterloop.test";

    @Test
    void aProductionProcessWithNothingConfiguredRefusesToServe() {
        assertThatThrownBy(() -> SecuritySetup.decide(facts(Map.of(), Optional.empty(), false, true, false)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("will not serve its HTTP API without authentication")
                .hasMessageContaining("adapterloop.security.api-keys.<name>.key-sha256")
                .hasMessageContaining("mp.jwt.verify.issuer").hasMessageContaining("docs/security.md");
    }

    @Test
    void aDevelopmentProcessWithNothingConfiguredGeneratesOneAdminKey() {
        SecuritySetup first = SecuritySetup.decide(facts(Map.of(), Optional.empty(), false, true, true));
        SecuritySetup second = SecuritySetup.decide(facts(Map.of(), Optional.empty(), false, true, true));

        String key = first.generatedKey().orElseThrow();
        assertThat(key).startsWith("al_").hasSize(3 + 43).isNotEqualTo(second.generatedKey().orElseThrow());
        assertThat(first.keys()).singleElement().satisfies(k -> {
            assertThat(k.name()).isEqualTo("dev-admin");
            assertThat(k.roles()).containsExactly(Roles.ADMIN);
        });
        ApiKeys keys = new ApiKeys(first.keys());
        assertThat(keys.find(key)).get().extracting(ApiKey::name).isEqualTo("dev-admin");
        assertThat(keys.find(second.generatedKey().orElseThrow())).isEmpty();
    }

    @Test
    void configuredCredentialsAndBatchCommandsGenerateNothing() {
        assertThat(SecuritySetup.decide(facts(Map.of("scorer", key(KEY, "predict")), Optional.empty(), false, true,
                true)).generatedKey()).isEmpty();
        SecuritySetup jwtOnly = SecuritySetup.decide(facts(Map.of(), Optional.of(ISSUER), true, true, false));
        assertThat(jwtOnly.keys()).isEmpty();
        assertThat(jwtOnly.generatedKey()).isEmpty();
        SecuritySetup batch = SecuritySetup.decide(facts(Map.of(), Optional.empty(), false, false, false));
        assertThat(batch.keys()).isEmpty();
        assertThat(batch.generatedKey()).isEmpty();
    }

    /** SmallRye JWT configures an issuer and keys of its own in dev and test mode: they do not count as a choice. */
    @Test
    void inDevModeTheFrameworksOwnJwtSettingsDoNotReplaceTheGeneratedKey() {
        SecuritySetup dev = SecuritySetup.decide(new SecuritySetup.Facts(Map.of(), Optional.of(ISSUER), true, true,
                false, true));
        assertThat(dev.generatedKey()).isPresent();
        SecuritySetup embeddedWithJwt = SecuritySetup.decide(facts(Map.of(), Optional.of(ISSUER), true, true, true));
        assertThat(embeddedWithJwt.generatedKey()).as("an operator's JWT settings on the embedded default").isEmpty();
    }

    @Test
    void aJwtKeyNeedsItsIssuerAndAnIssuerNeedsAKey() {
        assertThatThrownBy(() -> SecuritySetup.decide(facts(Map.of(), Optional.empty(), true, true, true)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mp.jwt.verify.issuer must be set when a JWT verification key is");
        assertThatThrownBy(() -> SecuritySetup.decide(facts(Map.of(), Optional.of(ISSUER), false, true, true)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no key to verify tokens with")
                .hasMessageContaining("mp.jwt.verify.publickey.location");
    }

    @Test
    void aBadKeyEntryIsNamedAndItsValueNeverRepeated() {
        assertThatThrownBy(() -> decide("Scorer_1", key(KEY, "predict")))
                .hasMessageContaining("adapterloop.security.api-keys.Scorer_1:")
                .hasMessageContaining("lowercase letters, digits or '-'");
        // the raw key pasted where its hash belongs
        assertThatThrownBy(() -> decide("scorer", new Entry(KEY, List.of("predict"))))
                .hasMessageContaining("adapterloop.security.api-keys.scorer.key-sha256 must be the SHA-256 of the key")
                .hasMessageContaining("got " + KEY.length() + " characters")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> decide("scorer", key(KEY, "write")))
                .hasMessageContaining("adapterloop.security.api-keys.scorer.roles: 'write' is not a role")
                .hasMessageContaining("predict, read, admin");
        assertThatThrownBy(() -> decide("scorer", key(KEY)))
                .hasMessageContaining("adapterloop.security.api-keys.scorer.roles must name at least one");
        assertThatThrownBy(() -> SecuritySetup.decide(facts(Map.of("a", key(KEY, "read"), "b", key(KEY, "admin")),
                Optional.empty(), false, true, false)))
                .hasMessageContaining("api-keys.a and adapterloop.security.api-keys.b have the same key-sha256");
    }

    @Test
    void aKeyIsFoundByItsHashAmongAllKeys() {
        SecuritySetup setup = SecuritySetup.decide(facts(Map.of("scorer", key(KEY, "predict"),
                "ops", key("al_another-key-abcdefabcdefabcdef", "admin", " read ")), Optional.empty(), false, true,
                false));
        ApiKeys keys = new ApiKeys(setup.keys());

        assertThat(keys.find(KEY)).get().satisfies(k -> {
            assertThat(k.name()).isEqualTo("scorer");
            assertThat(k.roles()).containsExactly("predict");
        });
        assertThat(keys.find("al_another-key-abcdefabcdefabcdef")).get().extracting(ApiKey::roles)
                .isEqualTo(Set.of("admin", "read"));
        assertThat(keys.find(KEY + "x")).isEmpty();
        assertThat(keys.find("")).isEmpty();
        assertThat(setup.keys().toString()).doesNotContain(KEY).doesNotContain(sha256Hex(KEY));
    }

    @Test
    void onlyBearerTokensWithTheKeyPrefixAreTakenAsApiKeys() {
        assertThat(ApiKeyAuthenticationMechanism.presentedKey("Bearer " + KEY)).isEqualTo(KEY);
        assertThat(ApiKeyAuthenticationMechanism.presentedKey("bearer   " + KEY + " ")).isEqualTo(KEY);
        assertThat(ApiKeyAuthenticationMechanism.presentedKey("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig")).isNull();
        assertThat(ApiKeyAuthenticationMechanism.presentedKey("Basic " + KEY)).isNull();
        assertThat(ApiKeyAuthenticationMechanism.presentedKey(KEY)).isNull();
        assertThat(ApiKeyAuthenticationMechanism.presentedKey("Bearer")).isNull();
        assertThat(ApiKeyAuthenticationMechanism.presentedKey("Bearer ")).isNull();
        assertThat(ApiKeyAuthenticationMechanism.presentedKey(null)).isNull();
    }

    @Test
    void theGeneratedKeyIsAnnouncedWithHowToUseIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ApiKeys.announce(new PrintStream(bytes, true, StandardCharsets.UTF_8), KEY, 8080);

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("generated an admin API key", "shown once, not logged", "    " + KEY + "\n")
                .contains("curl -H 'Authorization: Bearer " + KEY + "' http://localhost:8080/api/tasks");
    }

    private static SecuritySetup decide(String name, SecurityConfig.ApiKeyConfig key) {
        return SecuritySetup.decide(facts(Map.of(name, key), Optional.empty(), false, true, false));
    }

    /** A normal (production-mode) process; {@code embedded}: on the embedded Kafka and S3. */
    private static SecuritySetup.Facts facts(Map<String, SecurityConfig.ApiKeyConfig> keys, Optional<String> issuer,
                                             boolean jwtKey, boolean http, boolean embedded) {
        return new SecuritySetup.Facts(keys, issuer, jwtKey, http, embedded, false);
    }

    private static SecurityConfig.ApiKeyConfig key(String key, String... roles) {
        return new Entry(sha256Hex(key), List.of(roles));
    }

    private static String sha256Hex(String key) {
        return HexFormat.of().formatHex(ApiKey.sha256Of(key));
    }

    private record Entry(String keySha256, List<String> roles) implements SecurityConfig.ApiKeyConfig {
    }
}

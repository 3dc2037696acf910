package dev.adapterloop.security;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a process accepts, decided once at start from configuration: the configured API keys (validated) and whether
 * bearer JWTs are configured. A process that serves HTTP with neither refuses to start, unless it is a development
 * run (dev or test mode, or on the embedded Kafka and S3 it started itself): that one gets a generated admin key, which
 * the caller prints once. Batch commands (HTTP off) need neither.
 * <p>
 * In dev and test mode SmallRye JWT configures an in-memory key pair and issuer of its own, so JWT settings are taken
 * as an operator's choice only in normal (production) mode; a development run without API keys always gets a key.
 *
 * @param keys         the keys to accept, configured or generated
 * @param generatedKey the generated key itself, present only when one was generated
 */
record SecuritySetup(List<ApiKey> keys, Optional<String> generatedKey) {

    /** The prefix of every adapterloop API key: it tells a key from a JWT in the same {@code Authorization} header. */
    static final String KEY_PREFIX = "al_";
    /** The principal of the generated development key. */
    static final String GENERATED_KEY_NAME = "dev-admin";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String KEYS = "adapterloop.security.api-keys.";

    /**
     * @param jwtIssuer     {@code mp.jwt.verify.issuer}
     * @param jwtKey        whether a verification key is configured ({@code mp.jwt.verify.publickey[.location]})
     * @param httpEnabled   false for batch commands, which serve nothing
     * @param embedded      this process started the embedded Kafka broker or S3 server
     * @param devOrTestMode Quarkus' dev or test launch mode
     */
    record Facts(Map<String, SecurityConfig.ApiKeyConfig> apiKeys, Optional<String> jwtIssuer, boolean jwtKey,
                 boolean httpEnabled, boolean embedded, boolean devOrTestMode) {
    }

    SecuritySetup {
        keys = List.copyOf(keys);
    }

    static SecuritySetup decide(Facts facts) {
        List<ApiKey> keys = configured(facts.apiKeys());
        boolean jwt = jwt(facts) && !facts.devOrTestMode();
        if (!keys.isEmpty() || jwt || !facts.httpEnabled()) {
            return new SecuritySetup(keys, Optional.empty());
        }
        if (!facts.embedded() && !facts.devOrTestMode()) {
            throw new ConfigurationException("adapterloop will not serve its HTTP API without authentication: "
                    + "configure API keys (" + KEYS + "<name>.key-sha256 and " + KEYS + "<name>.roles) or bearer "
                    + "JWTs (mp.jwt.verify.issuer and mp.jwt.verify.publickey.location); see docs/security.md. Only a "
                    + "process on the embedded Kafka and S3 generates an admin key for itself.");
        }
        String key = newKey();
        return new SecuritySetup(List.of(new ApiKey(GENERATED_KEY_NAME, ApiKey.sha256Of(key), Set.of(Roles.ADMIN))),
                Optional.of(key));
    }

    /** A new key: the prefix and 256 random bits, URL-safe. */
    static String newKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static boolean jwt(Facts facts) {
        boolean issuer = facts.jwtIssuer().filter(i -> !i.isBlank()).isPresent();
        if (facts.jwtKey() && !issuer) {
            throw new ConfigurationException("mp.jwt.verify.issuer must be set when a JWT verification key is: "
                    + "without it, any token that key signed would be accepted, whoever issued it (docs/security.md)");
        }
        if (issuer && !facts.jwtKey()) {
            throw new ConfigurationException("mp.jwt.verify.issuer is set but no key to verify tokens with: set "
                    + "mp.jwt.verify.publickey.location to the issuer's JWKS URL or a PEM/JWK file (docs/security.md)");
        }
        return issuer;
    }

    private static List<ApiKey> configured(Map<String, SecurityConfig.ApiKeyConfig> apiKeys) {
        List<ApiKey> keys = new ArrayList<>();
        Map<String, String> namesByHash = new TreeMap<>();
        for (Map.Entry<String, SecurityConfig.ApiKeyConfig> entry : new TreeMap<>(apiKeys).entrySet()) {
            String name = entry.getKey();
            String where = KEYS + name;
            if (!NAME.matcher(name).matches()) {
                throw new ConfigurationException(where + ": a key's name becomes its principal and must be 1-63 "
                        + "lowercase letters, digits or '-', starting with a letter or digit");
            }
            String hash = entry.getValue().keySha256().strip();
            if (!SHA256_HEX.matcher(hash).matches()) {
                // never echo the value: it may be a key pasted in the wrong place
                throw new ConfigurationException(where + ".key-sha256 must be the SHA-256 of the key as 64 "
                        + "hexadecimal digits (printf %s \"$KEY\" | sha256sum), got " + hash.length() + " characters");
            }
            String other = namesByHash.put(hash.toLowerCase(), name);
            if (other != null) {
                throw new ConfigurationException(KEYS + other + " and " + where + " have the same key-sha256: one key "
                        + "must be one principal");
            }
            keys.add(new ApiKey(name, HexFormat.of().parseHex(hash.toLowerCase()), roles(where,
                    entry.getValue().roles())));
        }
        return keys;
    }

    private static Set<String> roles(String where, List<String> roles) {
        Set<String> valid = new LinkedHashSet<>();
        for (String role : roles) {
            String r = role.strip();
            if (!Roles.isRole(r)) {
                throw new ConfigurationException(where + ".roles: '" + r + "' is not a role; the roles are "
                        + String.join(", ", Roles.ALL));
            }
            valid.add(r);
        }
        if (valid.isEmpty()) {
            throw new ConfigurationException(where + ".roles must name at least one of " + String.join(", ", Roles.ALL));
        }
        return valid;
    }
}

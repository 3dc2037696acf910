package dev.adapterloop.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.net.http.HttpRequest;

/**
 * The test suite's API keys, one per role, configured by their SHA-256 under {@code %test.} in
 * application.properties (and given to the service processes the integration tests start). Tests about something
 * other than security call the API through these, as a real client would.
 */
public final class TestApiKeys {
    public static final String ADMIN = "al_test-admin-0f6c2b9e4d1a7358c2e9";
    public static final String READ = "al_test-read-5b8e1f0a9c3d7246e1b4";
    public static final String PREDICT = "al_test-predict-9d2a6e4c1b7f3085a6d2";
    /** The SHA-256 of {@link #ADMIN}, as {@code adapterloop.security.api-keys.<name>.key-sha256} wants it. */
    public static final String ADMIN_SHA256 = "0961e931acdf3a526d8d25a5a95831fe98480dd461cc4d2d14ea301254a6f30e";
    public static final String AUTHORIZATION = "Authorization";

    private TestApiKeys() {
    }

    public static String bearer(String key) {
        return "Bearer " + key;
    }

    /** A RestAssured request as {@code test-admin}. */
    public static RequestSpecification asAdmin() {
        return given().header(AUTHORIZATION, bearer(ADMIN));
    }

    /** A RestAssured request as {@code test-read}. */
    public static RequestSpecification asReader() {
        return given().header(AUTHORIZATION, bearer(READ));
    }

    /** A RestAssured request as {@code test-predict}. */
    public static RequestSpecification asPredictor() {
        return given().header(AUTHORIZATION, bearer(PREDICT));
    }

    /** A JDK HTTP request as {@code test-predict}. */
    public static HttpRequest.Builder asPredictor(HttpRequest.Builder request) {
        return request.header(AUTHORIZATION, bearer(PREDICT));
    }
}

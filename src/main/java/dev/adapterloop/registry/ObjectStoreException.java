package dev.adapterloop.registry;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;

/**
 * An S3 operation that failed. {@link #isRetriable()} tells a passing fault (I/O, timeouts, refused connections,
 * 5xx, throttling) from one that the same call will hit again (403 wrong keys, 404, a bad request, too big an object).
 */
public final class ObjectStoreException extends RuntimeException {
    private static final Set<String> RETRIABLE_CODES = Set.of(
            "InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout");
    private static final Set<String> CREDENTIAL_CODES = Set.of(
            "SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "InvalidToken", "ExpiredToken");

    private final boolean retriable;
    private final int status;
    private final String errorCode;

    ObjectStoreException(String message, boolean retriable, int status, String errorCode, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
        this.status = status;
        this.errorCode = errorCode;
    }

    static ObjectStoreException fatal(String message) {
        return new ObjectStoreException(message, false, 0, null, null);
    }

    /**
     * Classifies a failure of the MinIO client.
     *
     * @param action what was attempted, e.g. "get 'datasets/a.jsonl' from bucket 'adapterloop' at http://…"
     */
    static ObjectStoreException of(String action, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e) {
                int status = e.response() != null ? e.response().code() : 0;
                String code = e.errorResponse() != null ? e.errorResponse().code() : null;
                String detail = e.errorResponse() != null && e.errorResponse().message() != null
                        ? ": " + e.errorResponse().message() : "";
                boolean retriable = status >= 500 || status == 429 || status == 408 || RETRIABLE_CODES.contains(code);
                String hint = CREDENTIAL_CODES.contains(code) || status == 403
                        ? " (check adapterloop.s3.access-key and adapterloop.s3.secret-key)" : "";
                return new ObjectStoreException("cannot " + action + ": " + status + " " + code + detail + hint,
                        retriable, status, code, failure);
            }
            if (t instanceof ServerException e) {
                return new ObjectStoreException("cannot " + action + ": server error " + e.statusCode() + ": "
                        + e.getMessage(), e.statusCode() >= 500 || e.statusCode() == 429, e.statusCode(), null, failure);
            }
            if (t instanceof InvalidResponseException) {
                // Not S3's XML: typically a proxy or load balancer answering for a server that is away.
                return new ObjectStoreException("cannot " + action + ": unexpected response: " + t.getMessage(), true, 0,
                        null, failure);
            }
            if (t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException
                    || t instanceof CertificateException) {
                // Not a passing failure: the same certificate will be refused at every attempt. (MinIO's default
                // client reports the JVM's refusal as a bare CertificateException inside an IllegalStateException.)
                return new ObjectStoreException("cannot " + action + ": TLS handshake with the S3 endpoint failed, its"
                        + " certificate is not trusted (" + rootMessage(t) + "); for a private CA set "
                        + S3Trust.CA_FILE_KEY + " or " + S3Trust.TRUST_STORE_KEY, false, 0, null, failure);
            }
            if (t instanceof IOException) {
                return new ObjectStoreException("cannot " + action + ": " + t, true, 0, null, failure);
            }
        }
        return new ObjectStoreException("cannot " + action + ": " + failure, false, 0, null, failure);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    /** This failure, its message telling how many attempts were made over how long before giving up. */
    ObjectStoreException afterAttempts(int attempts, java.time.Duration elapsed) {
        ObjectStoreException copy = new ObjectStoreException(getMessage() + " (gave up after " + attempts
                + " attempts in " + String.format(java.util.Locale.ROOT, "%.1f", elapsed.toMillis() / 1000.0) + " s)",
                retriable, status, errorCode, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** True when the same call may succeed later (back off and retry); false when it will fail the same way. */
    public boolean isRetriable() {
        return retriable;
    }

    /** The HTTP status of S3's answer, if there was one. */
    public Optional<Integer> status() {
        return status > 0 ? Optional.of(status) : Optional.empty();
    }

    /** S3's error code (e.g. {@code NoSuchKey}, {@code SignatureDoesNotMatch}), if S3 answered with one. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }
}

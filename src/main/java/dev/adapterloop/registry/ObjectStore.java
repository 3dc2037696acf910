package dev.adapterloop.registry;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteArgs;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.jboss.logging.Logger;

/**
 * The only way adapterloop talks to S3 (MinIO in production, s3proxy when embedded): one bucket, through the MinIO
 * Java client. Every key passes {@link ObjectKeys}; every failure is an {@link ObjectStoreException} that says whether
 * retrying can help, and the calls that can be helped are retried with backoff ({@link RetrySettings}) before it is
 * thrown. A retry starts the call afresh: {@link #open} retries until the response arrives, never once the caller has
 * the stream; {@link #get} and {@link #sha256} read the whole object inside the attempt; {@link #download} resumes
 * MinIO's part file. Thread-safe; close it to release the HTTP client.
 */
public final class ObjectStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ObjectStore.class);
    public static final String DEFAULT_REGION = "us-east-1";
    /** Objects larger than a part go up in parts; S3 allows 5 MiB..5 GiB per part. */
    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;
    /** {@link #get(String)} refuses larger objects: stream them with {@link #open} or {@link #download}. */
    public static final long DEFAULT_MAX_GET_BYTES = 64L * 1024 * 1024;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "json", "application/json",
            "jsonl", "application/x-ndjson",
            "txt", "text/plain; charset=utf-8",
            "csv", "text/csv; charset=utf-8");
    private static final String BINARY = "application/octet-stream";

    /**
     * Where and how to reach the bucket. {@link #toString()} hides the secret key.
     *
     * @param partSize    multipart part size in bytes, 5 MiB..5 GiB
     * @param maxGetBytes the most {@link #get(String)} reads into memory
     * @param retry       how failures that may pass are retried
     * @param trust       which CAs an https endpoint's certificate must chain to (the JVM's by default)
     */
    public record Settings(String endpoint, String accessKey, String secretKey, String bucket, String region,
            long partSize, long maxGetBytes, RetrySettings retry, S3Trust trust) {
        public Settings {
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(trust, "trust");
            requireNonBlank("endpoint", endpoint);
            if (!isHttpUrl(endpoint)) {
                throw new IllegalArgumentException("`endpoint` must be an http(s) URL such as http://127.0.0.1:9000, got '"
                        + endpoint + "'");
            }
            requireNonBlank("accessKey", accessKey);
            requireNonBlank("secretKey", secretKey);
            requireNonBlank("bucket", bucket);
            if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
                throw new IllegalArgumentException("`bucket` must be an S3 bucket name (3-63 of a-z 0-9 . -), got '"
                        + bucket + "'");
            }
            requireNonBlank("region", region);
            if (!trust.isSystem() && !endpoint.regionMatches(true, 0, "https:", 0, 6)) {
                // A CA for a plain-http endpoint protects nothing: most likely the endpoint was left at http:// by
                // mistake, and the data would cross the network in clear.
                throw new IllegalArgumentException("adapterloop.s3.tls.* is configured but the endpoint is not https: '"
                        + endpoint + "'");
            }
            if (partSize < ObjectWriteArgs.MIN_MULTIPART_SIZE || partSize > ObjectWriteArgs.MAX_PART_SIZE) {
                throw new IllegalArgumentException("`partSize` must be within " + ObjectWriteArgs.MIN_MULTIPART_SIZE
                        + ".." + ObjectWriteArgs.MAX_PART_SIZE + " bytes, got " + partSize);
            }
            if (maxGetBytes < 1 || maxGetBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("`maxGetBytes` must be within 1.." + (Integer.MAX_VALUE - 8)
                        + ", got " + maxGetBytes);
            }
        }

        public static Settings of(String endpoint, String accessKey, String secretKey, String bucket) {
            return new Settings(endpoint, accessKey, secretKey, bucket, DEFAULT_REGION, DEFAULT_PART_SIZE,
                    DEFAULT_MAX_GET_BYTES, RetrySettings.DEFAULT, S3Trust.SYSTEM);
        }

        public Settings withRegion(String region) {
            return new Settings(endpoint, accessKey, secretKey, bucket, region, partSize, maxGetBytes, retry, trust);
        }

        public Settings withPartSize(long partSize) {
            return new Settings(endpoint, accessKey, secretKey, bucket, region, partSize, maxGetBytes, retry, trust);
        }

        public Settings withMaxGetBytes(long maxGetBytes) {
            return new Settings(endpoint, accessKey, secretKey, bucket, region, partSize, maxGetBytes, retry, trust);
        }

        public Settings withRetry(RetrySettings retry) {
            return new Settings(endpoint, accessKey, secretKey, bucket, region, partSize, maxGetBytes, retry, trust);
        }

        public Settings withTrust(S3Trust trust) {
            return new Settings(endpoint, accessKey, secretKey, bucket, region, partSize, maxGetBytes, retry, trust);
        }

        @Override
        public String toString() {
            return "Settings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=***, bucket=" + bucket
                    + ", region=" + region + ", partSize=" + partSize + ", maxGetBytes=" + maxGetBytes + ", retry="
                    + retry + ", trust=" + trust + "]";
        }

        private static void requireNonBlank(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("`" + name + "` must not be blank");
            }
        }

        private static boolean isHttpUrl(String value) {
            try {
                URI uri = new URI(value);
                return uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null;
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }

    /** Locks for conditional writes (see {@link #conditionalPut}), picked by endpoint, bucket and key. */
    private static final Object[] CONDITIONAL_WRITE_LOCKS = java.util.stream.Stream.generate(Object::new).limit(256)
            .toArray();

    private final Settings settings;
    private final MinioClient client;
    private final RetryPolicy<Object> retryPolicy;
    private final RetryPolicy<Object> unsentRetryPolicy;
    private final LongAdder retries = new LongAdder();
    private final LongAdder attempts = new LongAdder();

    public ObjectStore(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retryPolicy = retryPolicy(settings.retry(), failure -> true);
        this.unsentRetryPolicy = retryPolicy(settings.retry(), ObjectStore::neverSent);
        MinioClient.Builder builder = MinioClient.builder()
                .httpClient(httpClient(settings.trust()), true)
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey())
                .region(settings.region());
        this.client = builder.build();
        client.setTimeout(CONNECT_TIMEOUT.toMillis(), TRANSFER_TIMEOUT.toMillis(), TRANSFER_TIMEOUT.toMillis());
    }

    /**
     * MinIO's own default client (its protocols and pool), with two changes. OkHttp would re-send a request whose
     * connection failed, the answer lost included: for a conditional write that turns a win into a 412
     * (IntakeLedgerRaceTest caught it), so retries are this class's job alone. And with CAs configured, TLS that
     * trusts exactly those; the files are read here, so a wrong one stops the start naming its key.
     */
    private static OkHttpClient httpClient(S3Trust trust) {
        OkHttpClient.Builder http = Http.newDefaultClient().newBuilder().retryOnConnectionFailure(false);
        if (trust.isSystem()) {
            return http.build();
        }
        X509TrustManager trustManager = trust.trustManager();
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trustManager}, null);
            return http.sslSocketFactory(tls.getSocketFactory(), trustManager).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the S3 client: " + e.getMessage(), e);
        }
    }

    public static ObjectStore create(String endpoint, String accessKey, String secretKey, String bucket) {
        return new ObjectStore(Settings.of(endpoint, accessKey, secretKey, bucket));
    }

    public static ObjectStore create(String endpoint, String accessKey, String secretKey, String bucket, String region) {
        return new ObjectStore(Settings.of(endpoint, accessKey, secretKey, bucket).withRegion(region));
    }

    public Settings settings() {
        return settings;
    }

    public String bucket() {
        return settings.bucket();
    }

    /** Retries made since this store was created, over all calls: a counter for metrics and tests. */
    public long retryCount() {
        return retries.sum();
    }

    /**
     * S3 calls made since this store was created, retries included (a listing of more than 1000 keys, which S3 pages,
     * counts once): what the console's benchmark counts per page, and a metric.
     */
    public long callCount() {
        return attempts.sum();
    }

    /**
     * Whether the bucket exists, asked once without retrying: for health checks, which must answer quickly and
     * report a failure rather than wait it out. Throws {@link ObjectStoreException} when S3 cannot be reached.
     */
    public boolean probe() {
        return attempt("check " + where(),
                () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build()));
    }

    /** Creates the bucket unless it exists. */
    public void ensureBucket() {
        call("create bucket " + where(), () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket()).region(settings.region()).build());
                } catch (ErrorResponseException e) {
                    if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    /** Stores {@code data} under {@code key} (in parts when larger than a part); returns the ETag. */
    public String put(String key, byte[] data, String contentType) {
        checkKey(key);
        Objects.requireNonNull(data, "data");
        return call("put " + what(key), () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket())
                .object(key)
                .stream(new ByteArrayInputStream(data), (long) data.length, settings.partSize())
                .contentType(contentType == null ? BINARY : contentType)
                .build()).etag());
    }

    /**
     * Stores {@code data} only if no object has {@code key} ({@code If-None-Match: *}); false when one has (S3 answered
     * 412). Atomic on MinIO and AWS S3; the embedded s3proxy checks and writes in two steps (docs/registry.md).
     * Never re-sent once it may have reached S3: a 412 on a second try may mean the first one won. Only a refused
     * connection (the request never left) is retried; a timeout or a dropped answer is thrown as it is, for the
     * caller to read the object back ({@link PipelineRecords#createOnce}, {@code AliasStore}).
     */
    public boolean putIfAbsent(String key, byte[] data, String contentType) {
        return conditionalPut("put-if-absent", key, data, contentType, Map.of("If-None-Match", "*"));
    }

    /**
     * Replaces the object only if its ETag is still {@code etag} ({@code If-Match}); false when it changed (412) or is
     * gone (404). Same atomicity and retry caveats as {@link #putIfAbsent}.
     */
    public boolean putIfMatch(String key, byte[] data, String contentType, String etag) {
        if (etag == null || etag.isBlank()) {
            throw new IllegalArgumentException("`etag` must not be blank");
        }
        return conditionalPut("put-if-match", key, data, contentType, Map.of("If-Match", "\"" + unquote(etag) + "\""));
    }

    private boolean conditionalPut(String action, String key, byte[] data, String contentType,
            Map<String, String> condition) {
        checkKey(key);
        Objects.requireNonNull(data, "data");
        if (data.length > settings.partSize()) { // a multipart upload checks the condition only when it completes
            throw new IllegalArgumentException("cannot " + action + " " + ObjectKeys.quote(key) + ": " + data.length
                    + " bytes is more than one part (" + settings.partSize() + " bytes)");
        }
        // The embedded s3proxy checks the condition and then writes, in two steps: writers of one key in this JVM
        // take turns so that it behaves atomically for them (MinIO and AWS S3 are atomic by themselves).
        Object keyLock = CONDITIONAL_WRITE_LOCKS[Math.floorMod((settings.endpoint() + "|" + bucket() + "|" + key)
                .hashCode(), CONDITIONAL_WRITE_LOCKS.length)];
        try {
            synchronized (keyLock) {
                callUntilSent(action + " " + what(key), () -> client.putObject(PutObjectArgs.builder()
                        .bucket(bucket())
                        .object(key)
                        .stream(new ByteArrayInputStream(data), (long) data.length, settings.partSize())
                        .contentType(contentType == null ? BINARY : contentType)
                        .headers(condition)
                        .build()));
            }
            return true;
        } catch (ObjectStoreException e) {
            int status = e.status().orElse(0);
            if (status == 412 || status == 404 && e.errorCode().filter("NoSuchKey"::equals).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    /** Uploads a file, in parts when larger than a part; the content type follows the extension. Returns the ETag. */
    public String putFile(String key, Path file) {
        checkKey(key);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("cannot put " + file + " as " + ObjectKeys.quote(key) + ": not a file");
        }
        return call("put file " + file + " as " + what(key), () -> client.uploadObject(UploadObjectArgs.builder()
                .bucket(bucket())
                .object(key)
                .filename(file.toString(), settings.partSize())
                .contentType(contentTypeOf(file))
                .build()).etag());
    }

    /** The whole object, if it is at most {@link Settings#maxGetBytes()} long. */
    public byte[] get(String key) {
        return get(key, settings.maxGetBytes());
    }

    /** The whole object, if it is at most {@code maxBytes} long (checked before and while reading). */
    public byte[] get(String key, long maxBytes) {
        checkKey(key);
        if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("`maxBytes` must be within 0.." + (Integer.MAX_VALUE - 8) + ", got "
                    + maxBytes);
        }
        ObjectInfo info = stat(key).orElseThrow(() -> notFound(key));
        if (info.size() > maxBytes) {
            throw tooLarge(key, info.size(), maxBytes);
        }
        return call("get " + what(key), () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket()).object(key).build())) {
                byte[] data = in.readNBytes((int) maxBytes + 1);
                if (data.length > maxBytes) { // replaced by a larger object since the stat
                    throw tooLarge(key, data.length, maxBytes);
                }
                return data;
            }
        });
    }

    /** A stream of the object's bytes; the caller closes it. Read failures surface as {@link IOException}s. */
    public InputStream open(String key) {
        checkKey(key);
        return call("open " + what(key),
                () -> client.getObject(GetObjectArgs.builder().bucket(bucket()).object(key).build()));
    }

    /** Writes the object to {@code target} (replacing it; parent folders are created). */
    public void download(String key, Path target) {
        checkKey(key);
        Path absolute = target.toAbsolutePath();
        call("download " + what(key) + " to " + absolute, () -> {
            Files.createDirectories(absolute.getParent());
            client.downloadObject(DownloadObjectArgs.builder()
                    .bucket(bucket())
                    .object(key)
                    .filename(absolute.toString())
                    .overwrite(true)
                    .build());
            return null;
        });
    }

    /**
     * Size, ETag and time of the object; empty when there is no such key. A missing bucket reads as empty too (S3
     * answers a HEAD with a bare 404): {@link #ensureBucket()} at startup.
     */
    public Optional<ObjectInfo> stat(String key) {
        checkKey(key);
        return call("stat " + what(key), () -> {
            try {
                StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(bucket()).object(key).build());
                return Optional.of(new ObjectInfo(key, stat.size(), unquote(stat.etag()),
                        stat.lastModified() == null ? null : stat.lastModified().toInstant(), stat.contentType()));
            } catch (ErrorResponseException e) {
                if (e.response() != null && e.response().code() == 404 && !"NoSuchBucket".equals(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Every key under {@code prefix}, at any depth, in S3's (lexicographic) order; {@code ""} lists the bucket. */
    public List<String> list(String prefix) {
        return listInfo(prefix).stream().map(ObjectInfo::key).toList();
    }

    /**
     * Every object under {@code prefix} with its size, ETag and time, from the listing itself (no request per
     * object): what a reader needs to tell whether an object changed since it last read it. No content type.
     */
    public List<ObjectInfo> listInfo(String prefix) {
        String checked = ObjectKeys.validatePrefix(prefix);
        return call("list '" + checked + "' in " + where(), () -> {
            List<ObjectInfo> objects = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket())
                    .prefix(checked)
                    .recursive(true)
                    .build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    objects.add(new ObjectInfo(item.objectName(), item.size(), unquote(item.etag()),
                            item.lastModified() == null ? null : item.lastModified().toInstant(), null));
                }
            }
            return objects;
        });
    }

    /**
     * The names of the folders directly under {@code prefix} (S3's common prefixes with delimiter '/'), without the
     * prefix or the trailing '/', in S3's order: {@code listFolders("adapters/")} → {@code [spam, sentiment]}.
     */
    public List<String> listFolders(String prefix) {
        String checked = ObjectKeys.validatePrefix(prefix);
        if (!checked.isEmpty() && !checked.endsWith("/")) {
            throw new IllegalArgumentException("prefix '" + checked + "' must end with '/' to list its folders");
        }
        return call("list folders of '" + checked + "' in " + where(), () -> {
            List<String> names = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket())
                    .prefix(checked)
                    .delimiter("/")
                    .recursive(false)
                    .build())) {
                Item item = result.get();
                if (item.isDir()) {
                    String name = item.objectName().substring(checked.length());
                    names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
                }
            }
            return names;
        });
    }

    /** Removes the object; removing a missing key is not an error. */
    public void delete(String key) {
        checkKey(key);
        call("delete " + what(key), () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(key).build());
            return null;
        });
    }

    /** The SHA-256 of the object's bytes, lowercase hex, computed while streaming it. */
    public String sha256(String key) {
        checkKey(key);
        return call("hash " + what(key), () -> {
            MessageDigest digest = sha256Digest();
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket()).object(key).build())) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        });
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the S3 client for " + where(), e);
        }
    }

    @Override
    public String toString() {
        return "ObjectStore[" + where() + "]";
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws MinioException, IOException;
    }

    /** One attempt and then as many retries as {@link Settings#retry()} allows, each a fresh call. */
    private <T> T call(String action, S3Call<T> s3Call) {
        if (!settings.retry().retries()) {
            return attempt(action, s3Call);
        }
        long started = System.nanoTime();
        int[] attempts = {0};
        try {
            return Failsafe.with(retryPolicy).get(context -> {
                attempts[0] = context.getAttemptCount() + 1;
                return attempt(action, s3Call);
            });
        } catch (ObjectStoreException e) {
            throw attempts[0] > 1 ? e.afterAttempts(attempts[0], Duration.ofNanos(System.nanoTime() - started)) : e;
        } catch (FailsafeException e) { // only an interrupt while waiting to retry: the attempts throw no checked ones
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("cannot " + action + ": interrupted while waiting to retry", false, 0, null,
                    e.getCause());
        }
    }

    /**
     * Like {@link #call}, but retried only while the connection is refused: the request was never sent, so sending it
     * again cannot apply it twice. For conditional writes, whose lost answer must be read back, not re-sent.
     */
    private <T> T callUntilSent(String action, S3Call<T> s3Call) {
        if (!settings.retry().retries()) {
            return attempt(action, s3Call);
        }
        try {
            return Failsafe.with(unsentRetryPolicy).get(() -> attempt(action, s3Call));
        } catch (FailsafeException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException("cannot " + action + ": interrupted while waiting to retry", false, 0, null,
                    e.getCause());
        }
    }

    /** True when the failure is a refused connection: nothing reached the server. */
    static boolean neverSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private <T> T attempt(String action, S3Call<T> s3Call) {
        attempts.increment();
        try {
            return s3Call.run();
        } catch (ObjectStoreException e) {
            throw e;
        } catch (MinioException | IOException | UncheckedIOException e) {
            throw ObjectStoreException.of(action, e);
        } catch (IllegalStateException e) { // how MinIO's synchronous client rethrows failures that are not its own
            throw ObjectStoreException.of(action, e);
        }
    }

    private RetryPolicy<Object> retryPolicy(RetrySettings retry, java.util.function.Predicate<Throwable> alsoRequired) {
        RetryPolicyBuilder<Object> builder = RetryPolicy.builder()
                .handleIf(failure -> failure instanceof ObjectStoreException e && e.isRetriable()
                        && alsoRequired.test(e))
                .withMaxAttempts(retry.maxAttempts())
                .withMaxDuration(retry.maxDuration())
                .withJitter(RetrySettings.JITTER)
                .onRetryScheduled(event -> {
                    retries.increment();
                    LOG.warnf("S3 attempt %d of %d failed, retrying in %d ms: %s", event.getAttemptCount(),
                            retry.maxAttempts(), event.getDelay().toMillis(), event.getLastException().getMessage());
                });
        return (retry.maxBackoff().equals(retry.initialBackoff())
                ? builder.withDelay(retry.initialBackoff())
                : builder.withBackoff(retry.initialBackoff(), retry.maxBackoff())).build();
    }

    private static void checkKey(String key) {
        ObjectKeys.validate(key, null);
    }

    private String what(String key) {
        return ObjectKeys.quote(key) + " in " + where();
    }

    private String where() {
        return "bucket '" + bucket() + "' at " + settings.endpoint();
    }

    private ObjectStoreException notFound(String key) {
        return new ObjectStoreException("cannot get " + what(key) + ": no such key", false, 404, "NoSuchKey", null);
    }

    private ObjectStoreException tooLarge(String key, long size, long maxBytes) {
        return ObjectStoreException.fatal("cannot get " + what(key) + ": it is " + size + " bytes, more than the "
                + maxBytes + " bytes get() reads into memory; stream it with open() or download()");
    }

    private static String contentTypeOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, BINARY);
    }

    private static String unquote(String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}

package dev.adapterloop.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.jboss.logging.Logger;

import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka (KRaft, {@code process.roles=broker,controller}) inside this JVM, on loopback, from the
 * {@code kafka_2.13} jars. Its log directory survives restarts: storage is formatted only when {@code meta.properties}
 * is absent, so a new instance on the same directory keeps the cluster id, topics and committed offsets.
 * {@link #start} returns once the broker answers a client; {@link #close} stops it (another instance may then start on
 * the same directory).
 */
public final class EmbeddedKafka implements AutoCloseable {
    public static final int DEFAULT_PARTITIONS = 3;

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";
    /** Ports picked as free may be taken before the broker binds them; only then is another pair tried. */
    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    static final int SESSION_TIMEOUT_MS = 2000;
    static final int HEARTBEAT_INTERVAL_MS = 400;

    /**
     * @param dataDir    the broker's log directory (created if absent; kept across restarts)
     * @param port       the client port on 127.0.0.1; 0 picks a free one
     * @param partitions {@code num.partitions} for topics created without a count (auto-created ones included)
     * @param saslSsl    null for a PLAINTEXT client listener; else the client listener is SASL_SSL as described
     */
    public record Settings(Path dataDir, int port, int partitions, SaslSsl saslSsl) {
        public Settings {
            Objects.requireNonNull(dataDir, "dataDir");
            FreePorts.requireValid("port", port);
            if (partitions < 1) {
                throw new IllegalArgumentException("`partitions` must be > 0, got " + partitions);
            }
        }

        public Settings(Path dataDir, int port, int partitions) {
            this(dataDir, port, partitions, null);
        }

        public static Settings of(Path dataDir) {
            return new Settings(dataDir, 0, DEFAULT_PARTITIONS);
        }

        public Settings withPort(int port) {
            return new Settings(dataDir, port, partitions, saslSsl);
        }

        public Settings withPartitions(int partitions) {
            return new Settings(dataDir, port, partitions, saslSsl);
        }

        public Settings withSaslSsl(SaslSsl saslSsl) {
            return new Settings(dataDir, port, partitions, saslSsl);
        }
    }

    /**
     * A client listener that takes TLS and SCRAM-SHA-512 only, as a production cluster's (Strimzi's {@code tls: true}
     * with {@code authentication: scram-sha-512}): how tests prove that the clients' security settings work against
     * a real broker. The controller listener stays PLAINTEXT on loopback (it is the broker talking to itself).
     *
     * @param keyStore         PKCS12 key store with the server's key and certificate (valid for 127.0.0.1)
     * @param keyStorePassword its password, also the broker's own SCRAM password (below)
     * @param caFile           the PEM certificate of the CA that signed it: the broker's connections to its own
     *                         listener trust it
     * @param users            SCRAM-SHA-512 users, name to password. Like {@code kafka-storage format --add-scram},
     *                         they are created when the log directory is formatted (its first start) and kept after:
     *                         a restart on the same directory does not change them. The broker itself signs in to its
     *                         listener as {@value #BROKER_USER} with the key store's password, a secret it holds anyway
     *                         and the same at every restart.
     */
    public record SaslSsl(Path keyStore, String keyStorePassword, Path caFile, Map<String, String> users) {
        public static final String MECHANISM = "SCRAM-SHA-512";
        public static final String BROKER_USER = "adapterloop-embedded-broker";

        public SaslSsl {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(keyStorePassword, "keyStorePassword");
            Objects.requireNonNull(caFile, "caFile");
            users = Map.copyOf(users);
            for (Map.Entry<String, String> user : users.entrySet()) {
                // The names and passwords are written into a --add-scram argument and a JAAS line, which have no escapes.
                if (!user.getKey().matches("[A-Za-z0-9._-]+") || !user.getValue().matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException("SCRAM user names and passwords must be [A-Za-z0-9._-]+, got"
                            + " user '" + user.getKey() + "'");
                }
            }
            if (!keyStorePassword.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("the key store password must be [A-Za-z0-9._-]+ (it is also the"
                        + " broker's SCRAM password)");
            }
        }

        /** The client settings of a SASL_SSL client signed in as {@code user}, as Kafka names them. */
        public Map<String, Object> clientSettings(String user, String password) {
            return Map.of("security.protocol", "SASL_SSL",
                    "sasl.mechanism", MECHANISM,
                    "sasl.jaas.config", jaas(user, password),
                    "ssl.truststore.type", "PEM",
                    "ssl.truststore.location", caFile.toAbsolutePath().toString());
        }

        static String jaas(String user, String password) {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                    + "\" password=\"" + password + "\";";
        }

        @Override
        public String toString() {
            return "SaslSsl[keyStore=" + keyStore + ", caFile=" + caFile + ", users=" + users.keySet() + "]";
        }
    }

    private final Server server;
    private final Settings settings;
    private final Path dataDir;
    private final String bootstrapServers;
    private final String clusterId;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(Server server, Settings settings, Path dataDir, String bootstrapServers, String clusterId,
            Duration startupTime) {
        this.server = server;
        this.settings = settings;
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
        this.clusterId = clusterId;
        this.startupTime = startupTime;
    }

    public static EmbeddedKafka start(Path dataDir) {
        return start(Settings.of(dataDir));
    }

    public static EmbeddedKafka start(Settings settings) {
        QuietLogging.quiet(QuietLogging.KAFKA);
        long started = System.nanoTime();
        Path dir = settings.dataDir().toAbsolutePath().normalize();
        FreePorts.requireFree("embedded Kafka", settings.port());
        createDirectories(dir);
        requireUnlocked(dir);
        String clusterId = null;
        RuntimeException failure = null;
        int attempts = settings.port() == 0 ? START_ATTEMPTS : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int port = FreePorts.resolve(settings.port());
            Properties props = brokerProperties(dir, port, FreePorts.resolveOther(port), settings.partitions(),
                    settings.saslSsl());
            clusterId = formatIfNeeded(props, dir, settings.saslSsl());
            Server server = null;
            try {
                server = newServer(props);
                server.startup();
                String bootstrap = FreePorts.LOOPBACK + ":" + port;
                awaitReady(bootstrap, settings.saslSsl());
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                LOG.infof("Embedded Kafka %s started in %d ms at %s%s (cluster %s, data in %s)",
                        AppInfoParser.getVersion(), took.toMillis(), bootstrap,
                        settings.saslSsl() == null ? "" : " (SASL_SSL, SCRAM-SHA-512)", clusterId, dir);
                return new EmbeddedKafka(server, settings.withPort(port), dir, bootstrap, clusterId, took);
            } catch (RuntimeException e) {
                stopQuietly(server);
                failure = e;
                if (!isBindFailure(e)) {
                    break;
                }
                LOG.debugf("Embedded Kafka could not bind its ports (attempt %d of %d): %s", attempt, attempts,
                        e.getMessage());
            }
        }
        throw new IllegalStateException("embedded Kafka did not start on " + dir + " (cluster " + clusterId + "): "
                + failure.getMessage(), failure);
    }

    /**
     * Refuses a directory another broker holds, before any broker thread starts: a second broker that got as far as
     * its Raft thread would read the first one's log while it is written and, on what looks like a corrupt record,
     * halt the whole JVM (Kafka's fault handler calls {@code Runtime.halt}).
     */
    private static void requireUnlocked(Path dir) {
        Path lock = dir.resolve(".lock");
        if (!java.nio.file.Files.exists(lock)) {
            return;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = channel.tryLock();
            if (held == null) {
                throw locked(dir, lock);
            }
            held.release();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw locked(dir, lock);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("embedded Kafka did not start on " + dir + ": cannot check its lock file "
                    + lock + ": " + e.getMessage(), e);
        }
    }

    private static IllegalStateException locked(Path dir, Path lock) {
        return new IllegalStateException("embedded Kafka did not start on " + dir + ": another Kafka instance holds"
                + " its lock file " + lock);
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * What this broker runs with, its actual client port included: {@code EmbeddedKafka.start(kafka.settings())} after
     * {@link #close} restarts it at the same address on the same log directory (clients reconnect by themselves).
     */
    public Settings settings() {
        return settings;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** From {@link #start} until the broker answered its first client. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Creates the topics that do not exist yet, with the broker's default partition count. */
    public void createTopics(String... names) {
        List<NewTopic> topics = Arrays.stream(names)
                .map(name -> new NewTopic(name, Optional.empty(), Optional.empty()))
                .toList();
        try (Admin admin = admin(bootstrapServers, settings.saslSsl())) {
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    await(created.getValue());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic '" + created.getKey() + "' on "
                                + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long started = System.nanoTime();
            server.shutdown();
            server.awaitShutdown();
            LOG.infof("Embedded Kafka at %s stopped in %d ms", bootstrapServers,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
    }

    static Properties brokerProperties(Path dir, int port, int controllerPort, int partitions, SaslSsl saslSsl) {
        // The client listener is named after its protocol, so the protocol map reads PLAINTEXT:PLAINTEXT or
        // SASL_SSL:SASL_SSL and nothing else can be read into a name.
        String listener = saslSsl == null ? "PLAINTEXT" : "SASL_SSL";
        String broker = listener + "://" + FreePorts.LOOPBACK + ":" + port;
        String controller = CONTROLLER_LISTENER + "://" + FreePorts.LOOPBACK + ":" + controllerPort;
        Properties props = new Properties();
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("process.roles", "broker,controller");
        // A static quorum keeps no endpoints in the metadata log, so the controller port may change between starts.
        props.put("controller.quorum.voters", NODE_ID + "@" + FreePorts.LOOPBACK + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", broker + "," + controller);
        props.put("advertised.listeners", broker);
        props.put("listener.security.protocol.map", listener + ":" + listener + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", listener);
        if (saslSsl != null) {
            props.put("sasl.enabled.mechanisms", SaslSsl.MECHANISM);
            props.put("sasl.mechanism.inter.broker.protocol", SaslSsl.MECHANISM);
            props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                    SaslSsl.jaas(SaslSsl.BROKER_USER, saslSsl.keyStorePassword()));
            props.put("ssl.keystore.type", "PKCS12");
            props.put("ssl.keystore.location", saslSsl.keyStore().toAbsolutePath().toString());
            props.put("ssl.keystore.password", saslSsl.keyStorePassword());
            props.put("ssl.truststore.type", "PEM");
            props.put("ssl.truststore.location", saslSsl.caFile().toAbsolutePath().toString());
        }
        props.put("log.dirs", dir.toString());
        // One node: every internal topic has one replica.
        props.put("num.partitions", Integer.toString(partitions));
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Small footprint: the cleaner's dedupe buffer alone is 128 MiB of heap by default.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "4");
        props.put("num.recovery.threads.per.data.dir", "1");
        // On a restart the controller, itself just restarted, gives the broker registration it finds in the metadata
        // log a fresh session and refuses the new broker's registration until that session expires: the whole
        // broker.session.timeout.ms (9 s by default) added to every start on an existing log directory. Broker and
        // controller share this JVM, so a short session costs nothing (BENCHMARKS.md, time to ready).
        props.put("broker.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS));
        props.put("broker.heartbeat.interval.ms", Integer.toString(HEARTBEAT_INTERVAL_MS));
        return props;
    }

    /**
     * Formats the log directory unless {@code meta.properties} is there, as {@code kafka-storage.sh format} does;
     * returns the cluster id either way.
     */
    private static String formatIfNeeded(Properties props, Path dir, SaslSsl saslSsl) {
        Path meta = dir.resolve(META_PROPERTIES);
        if (Files.exists(meta)) {
            return readClusterId(meta);
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Path configFile = null;
        try {
            configFile = Files.createTempFile("adapterloop-kafka-", ".properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "embedded Kafka, for kafka-storage format");
            }
            List<String> args = new java.util.ArrayList<>(List.of("format", "--cluster-id", clusterId, "--config",
                    configFile.toString()));
            if (saslSsl != null) {
                // SCRAM credentials live in the metadata log: written at format, the broker can check them from its
                // first connection on (no plaintext door is needed to create them through the admin API).
                Map<String, String> users = new java.util.TreeMap<>(saslSsl.users());
                users.put(SaslSsl.BROKER_USER, saslSsl.keyStorePassword());
                users.forEach((name, password) -> {
                    args.add("--add-scram");
                    args.add(SaslSsl.MECHANISM + "=[name=" + name + ",password=" + password + "]");
                });
            }
            int status = StorageTool.execute(args.toArray(String[]::new),
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (status != 0) {
                throw new IllegalStateException("kafka-storage format exited with " + status + ": "
                        + output.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format Kafka storage in " + dir, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(configFile);
        }
        LOG.debugf("Formatted Kafka storage in %s for cluster %s: %s", dir, clusterId,
                output.toString(StandardCharsets.UTF_8).strip());
        return clusterId;
    }

    /**
     * {@code kafka_2.13} publishes the broker's own modules (kafka-server, kafka-metadata, ...) in runtime scope, and
     * {@code KafkaConfig} extends a class from one of them: code compiled against kafka_2.13 cannot name it. These two
     * calls therefore go through reflection; everything after uses the {@link Server} interface.
     */
    private static Server newServer(Properties props) {
        try {
            Class<?> configClass = Class.forName("kafka.server.KafkaConfig");
            Object config = configClass.getMethod("fromProps", Properties.class, boolean.class)
                    .invoke(null, props, false);
            return (Server) KafkaRaftServer.class.getConstructor(configClass, Time.class)
                    .newInstance(config, Time.SYSTEM);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Kafka " + AppInfoParser.getVersion()
                    + " server classes are not as expected (kafka_2.13 must match kafka-clients)", e);
        }
    }

    private static String readClusterId(Path meta) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta, e);
        }
        String clusterId = props.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalStateException(meta + " has no cluster.id: remove the directory to start afresh");
        }
        return clusterId;
    }

    private static void awaitReady(String bootstrap, SaslSsl saslSsl) {
        try (Admin admin = admin(bootstrap, saslSsl)) {
            await(admin.describeCluster().nodes());
        } catch (ExecutionException e) {
            throw new IllegalStateException("embedded Kafka at " + bootstrap + " does not answer: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static Admin admin(String bootstrap, SaslSsl saslSsl) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis()));
        if (saslSsl != null) {
            config.putAll(saslSsl.clientSettings(SaslSsl.BROKER_USER, saslSsl.keyStorePassword()));
        }
        return Admin.create(config);
    }

    private static <T> T await(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("embedded Kafka did not answer within " + READY_TIMEOUT.toSeconds() + " s",
                    e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("failed to bind"))) {
                return true;
            }
        }
        return false;
    }

    private static void stopQuietly(Server server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.debugf(e, "Embedded Kafka did not stop cleanly after a failed start");
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debugf(e, "Cannot delete %s", file);
            }
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data directory " + dir, e);
        }
    }
}

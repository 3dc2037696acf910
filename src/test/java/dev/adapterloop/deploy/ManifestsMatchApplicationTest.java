package dev.adapterloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rendered manifests against the application's own configuration (application.properties and the sources):
 * ports and probe paths, the subcommand, topics, the consumer group and every environment variable.
 */
class ManifestsMatchApplicationTest {

    /** Variables the JVM itself reads; anything else in a container's env must be the application's. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    static ApplicationConfiguration app;
    static Map<String, Manifests> overlays = new TreeMap<>();

    @BeforeAll
    static void render() {
        app = ApplicationConfiguration.load();
        for (String overlay : new String[] {"k8s/overlays/cpu", "k8s/overlays/gpu"}) {
            overlays.put(overlay, KustomizeOverlaysTest.render(overlay));
        }
        overlays.put("k8s/batch", KustomizeOverlaysTest.render("k8s/batch"));
    }

    @Test
    void probesAndPortsAreTheApplicationsHealthEndpointsAndHttpPort() {
        assertThat(app.livenessPath()).isEqualTo("/q/health/live"); // the derivation itself, on today's config
        for (String overlay : List.of("k8s/overlays/cpu", "k8s/overlays/gpu")) {
            Manifests m = overlays.get(overlay);
            Deployment deployment = m.one(Deployment.class);
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertProbe(container, container.getLivenessProbe(), app.livenessPath(), overlay + " liveness");
            assertProbe(container, container.getStartupProbe(), app.livenessPath(), overlay + " startup");
            assertProbe(container, container.getReadinessProbe(), app.readinessPath(), overlay + " readiness");
            Service service = m.all(Service.class).stream()
                    .filter(s -> s.getMetadata().getName().equals(deployment.getMetadata().getName())).findFirst()
                    .orElseThrow();
            assertThat(service.getSpec().getSelector().entrySet())
                    .isSubsetOf(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet());
            assertThat(resolve(container, service.getSpec().getPorts().get(0).getTargetPort())).as(overlay + " service")
                    .isEqualTo(app.httpPort());
            NetworkPolicy policy = m.one(NetworkPolicy.class);
            assertThat(policy.getSpec().getIngress()).flatExtracting(r -> r.getPorts())
                    .extracting(p -> p.getPort().getIntVal()).containsExactly(app.httpPort());
        }
    }

    @Test
    void theServiceRunsTheServeSubcommand() {
        for (String overlay : List.of("k8s/overlays/cpu", "k8s/overlays/gpu")) {
            Container container = overlays.get(overlay).one(Deployment.class).getSpec().getTemplate().getSpec()
                    .getContainers().get(0);
            assertThat(container.getArgs()).as(overlay).containsExactly("serve");
            assertThat(container.getCommand()).as(overlay + ": the image's entrypoint runs the application").isEmpty();
        }
    }

    /**
     * The API keys' Secret (docs/security.md) reaches the file Quarkus reads at start,
     * {@code config/application.properties} under the working directory of the image each overlay runs, read-only
     * and optional (JWT-only set-ups).
     */
    @Test
    void theApiKeysSecretIsMountedWhereQuarkusReadsConfiguration() throws IOException {
        Map<String, String> dockerfiles = Map.of("k8s/overlays/cpu", "docker/Dockerfile.jvm",
                "k8s/overlays/gpu", "docker/Dockerfile.cuda");
        for (String overlay : List.of("k8s/overlays/cpu", "k8s/overlays/gpu")) {
            List<String> workdirs = Files.readAllLines(Path.of(dockerfiles.get(overlay)))
                    .stream().filter(line -> line.startsWith("WORKDIR ")).map(line -> line.substring(8).strip())
                    .toList();
            String configDir = workdirs.getLast() + "/config";
            PodSpec pod = overlays.get(overlay).one(Deployment.class).getSpec()
                    .getTemplate().getSpec();
            VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream()
                    .filter(m -> m.getMountPath().equals(configDir)).findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + ": nothing mounted at " + configDir));
            assertThat(mount.getReadOnly()).as(overlay).isTrue();
            SecretVolumeSource secret = pod.getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow().getSecret();
            assertThat(secret.getSecretName()).as(overlay).isEqualTo("adapterloop-api-keys");
            assertThat(secret.getOptional()).as(overlay).isTrue();
            assertThat(secret.getItems()).as(overlay).singleElement().satisfies(item -> {
                assertThat(item.getKey()).isEqualTo("application.properties");
                assertThat(item.getPath()).isEqualTo("application.properties");
            });
        }
    }

    @Test
    void everyTopicOfTheApplicationHasAKafkaTopicAndNoOtherTopicIsDeclared() {
        Set<String> appTopics = app.kafkaTopics();
        assertThat(appTopics).contains("labeled-data", "labeled-data-dlq", "adapter-training", "adapter-evaluations");
        for (String overlay : List.of("k8s/overlays/cpu", "k8s/overlays/gpu")) {
            Manifests m = overlays.get(overlay);
            Kafka kafka = m.one(Kafka.class);
            Map<String, KafkaTopic> declared = topics(m);
            assertThat(declared.keySet()).as(overlay + ": topics without a KafkaTopic").containsAll(appTopics);
            for (Map.Entry<String, KafkaTopic> topic : declared.entrySet()) {
                Map<String, String> labels = topic.getValue().getMetadata().getLabels();
                assertThat(labels).as(topic.getKey()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
                assertThat(appTopics).as(overlay + ": KafkaTopic " + topic.getKey() + " is no topic of the application")
                        .contains(topic.getKey());
                assertThat(topic.getValue().getSpec().getPartitions()).isPositive();
                assertThat(topic.getValue().getSpec().getConfig()).containsKey("retention.ms");
            }
        }
    }

    /**
     * The cluster's only listener takes TLS and SCRAM-SHA-512, and the application and the scaler are configured for
     * exactly that listener: its port, SASL_SSL, its mechanism.
     */
    @Test
    void bootstrapServersAreTheStrimziClustersTlsScramListener() {
        for (String overlay : List.of("k8s/overlays/cpu", "k8s/overlays/gpu")) {
            Manifests m = overlays.get(overlay);
            Kafka kafka = m.one(Kafka.class);
            assertThat(kafka.getSpec().getKafka().getListeners()).as(overlay + ": no plaintext listener")
                    .singleElement().satisfies(l -> {
                        assertThat(l.isTls()).isTrue();
                        assertThat(l.getAuth().getType()).isEqualTo("scram-sha-512");
                    });
            assertThat(kafka.getSpec().getKafka().getAuthorization().getType()).as("ACLs enforced").isEqualTo("simple");
            GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().get(0);
            String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.getPort();
            Map<String, String> config = m.one(ConfigMap.class).getData();
            assertThat(config).containsEntry("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
            CrdSchemas.Trigger trigger = m.one(CrdSchemas.ScaledObject.class).spec().triggers().get(0);
            assertThat(trigger.metadata()).containsEntry("bootstrapServers", bootstrap)
                    .containsEntry("sasl", "scram_sha512").containsEntry("tls", "enable");
            NetworkPolicy policy = m.one(NetworkPolicy.class);
            assertThat(policy.getSpec().getEgress()).as(overlay + ": egress to the listener's port")
                    .anySatisfy(rule -> assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal())
                            .contains(listener.getPort()));
        }
    }

    /**
     * Every container of the application signs in as its own KafkaUser (the SCRAM line from that user's Secret) and
     * trusts the cluster CA, mounted where KAFKA_SSL_TRUSTSTORE_LOCATION points: the service as {@code adapterloop},
     * the batch Jobs as {@code adapterloop-batch}.
     */
    @Test
    void everyApplicationContainerSignsInAsItsKafkaUserAndTrustsTheClusterCa() {
        Manifests base = overlays.get("k8s/overlays/cpu");
        String cluster = base.one(Kafka.class).getMetadata().getName();
        Set<String> users = base.all(KafkaUser.class).stream().map(u -> u.getMetadata().getName())
                .collect(Collectors.toSet());
        String truststore = base.one(ConfigMap.class).getData().get("KAFKA_SSL_TRUSTSTORE_LOCATION");
        for (Map.Entry<String, Manifests> overlay : overlays.entrySet()) {
            List<PodSpec> pods = new java.util.ArrayList<>();
            overlay.getValue().all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
            overlay.getValue().all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
            overlay.getValue().all(CronJob.class)
                    .forEach(c -> pods.add(c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()));
            int checked = 0;
            for (PodSpec pod : pods) {
                Container container = pod.getContainers().get(0);
                if (container.getName().startsWith("minio")) {
                    continue;
                }
                checked++;
                String expectedUser = container.getArgs().getFirst().equals("serve") ? "adapterloop" : "adapterloop-batch";
                EnvVar jaas = container.getEnv().stream().filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG"))
                        .findFirst().orElseThrow(() -> new AssertionError(overlay.getKey() + " " + container.getName()
                                + ": no KAFKA_SASL_JAAS_CONFIG"));
                assertThat(jaas.getValueFrom().getSecretKeyRef().getName()).as(container.getName())
                        .isEqualTo(expectedUser).isIn(users);
                assertThat(jaas.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sasl.jaas.config");
                assertMountedFromSecret(pod, container, truststore, cluster + "-cluster-ca-cert", "ca.crt");
            }
            assertThat(checked).as(overlay.getKey()).isPositive();
        }
    }

    /** The service's ACLs are exactly what its channels need; the batch user only writes, the scaler only describes. */
    @Test
    void kafkaUserAclsAreWhatEachClientNeeds() {
        Manifests m = overlays.get("k8s/overlays/cpu");
        Map<String, KafkaUser> users = m.all(KafkaUser.class).stream()
                .collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
        assertThat(users).containsOnlyKeys("adapterloop", "adapterloop-batch", "adapterloop-keda");
        for (KafkaUser user : users.values()) {
            assertThat(user.getSpec().getAuthentication().getType()).isEqualTo("scram-sha-512");
            assertThat(user.getMetadata().getLabels())
                    .containsEntry("strimzi.io/cluster", m.one(Kafka.class).getMetadata().getName());
        }
        Map<String, Set<String>> expected = app.kafkaAcls();
        assertThat(expected).containsEntry("group:adapterloop", Set.of("Read"))
                .containsEntry("topic:labeled-data-dlq", Set.of("Write"));
        assertThat(acls(users.get("adapterloop"))).isEqualTo(expected);

        Map<String, Set<String>> batch = acls(users.get("adapterloop-batch"));
        assertThat(batch).containsKeys("topic:adapter-training", "topic:adapter-evaluations")
                .allSatisfy((resource, operations) -> {
                    assertThat(resource).startsWith("topic:");
                    assertThat(operations).containsExactly("Write");
                    assertThat(expected.get(resource)).as(resource + ": a topic the application writes").contains("Write");
                });

        Map<String, String> trigger = m.one(CrdSchemas.ScaledObject.class).spec().triggers().get(0).metadata();
        assertThat(acls(users.get("adapterloop-keda"))).isEqualTo(Map.of(
                "group:" + trigger.get("consumerGroup"), Set.of("Describe"),
                "topic:" + trigger.get("topic"), Set.of("Describe")));
        CrdSchemas.TriggerAuthentication auth = m.one(CrdSchemas.TriggerAuthentication.class);
        assertThat(m.one(CrdSchemas.ScaledObject.class).spec().triggers().get(0).authenticationRef().name())
                .isEqualTo(auth.metadata().getName());
        assertThat(auth.spec().secretTargetRef()).contains(
                new CrdSchemas.SecretTargetRef("password", "adapterloop-keda", "password"),
                new CrdSchemas.SecretTargetRef("ca", m.one(Kafka.class).getMetadata().getName() + "-cluster-ca-cert",
                        "ca.crt"));
    }

    /**
     * MinIO serves https with its own certificate; the application checks it against the CA mounted where
     * ADAPTERLOOP_S3_TLS_CA_FILE points and signs in as a user whose policy names its bucket and nothing else.
     */
    @Test
    void s3IsHttpsAndTheApplicationsUserIsLimitedToItsBucket() {
        Manifests m = overlays.get("k8s/overlays/cpu");
        Map<String, String> config = m.one(ConfigMap.class).getData();
        assertThat(config.get("ADAPTERLOOP_S3_ENDPOINT")).startsWith("https://");
        PodSpec service = m.one(Deployment.class).getSpec().getTemplate().getSpec();
        assertMountedFromSecret(service, service.getContainers().get(0), config.get("ADAPTERLOOP_S3_TLS_CA_FILE"),
                "adapterloop-s3-ca", "ca.crt");

        PodSpec minio = m.one(io.fabric8.kubernetes.api.model.apps.StatefulSet.class).getSpec().getTemplate().getSpec();
        List<String> args = minio.getContainers().get(0).getArgs();
        String certsDir = args.get(args.indexOf("--certs-dir") + 1);
        assertMountedFromSecret(minio, minio.getContainers().get(0), certsDir + "/public.crt", "minio-tls", "tls.crt");
        assertMountedFromSecret(minio, minio.getContainers().get(0), certsDir + "/private.key", "minio-tls", "tls.key");

        Job setup = m.one(Job.class);
        Container mc = setup.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = mc.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("BUCKET").getValueFrom().getConfigMapKeyRef().getKey()).isEqualTo("ADAPTERLOOP_S3_BUCKET");
        assertThat(env.get("APP_ACCESS_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("adapterloop-s3");
        String script = String.join("\n", mc.getArgs());
        java.util.regex.Matcher policy = Pattern.compile("(?s)<<EOF\n(.*?)\nEOF").matcher(script);
        assertThat(policy.find()).as("the bucket policy in the setup script").isTrue();
        String bucket = config.get("ADAPTERLOOP_S3_BUCKET");
        String json = policy.group(1).replace("${BUCKET}", bucket);
        Set<String> resources = new TreeSet<>();
        try {
            StrictYaml.MAPPER.readTree(json).path("Statement").forEach(statement -> {
                assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
                statement.path("Action").forEach(action -> assertThat(action.asText()).startsWith("s3:"));
                statement.path("Resource").forEach(r -> resources.add(r.asText()));
            });
        } catch (IOException e) {
            throw new AssertionError("the bucket policy is not JSON: " + json, e);
        }
        assertThat(resources).containsExactly("arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*");
        assertThat(script).contains("admin user add root \"$APP_ACCESS_KEY\"")
                .contains("admin policy attach root adapterloop-bucket --user \"$APP_ACCESS_KEY\"");
    }

    private static Map<String, Set<String>> acls(KafkaUser user) {
        Map<String, Set<String>> acls = new TreeMap<>();
        KafkaUserAuthorizationSimple simple = (KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
        for (AclRule rule : simple.getAcls()) {
            String resource = switch (rule.getResource()) {
                case AclRuleTopicResource t -> {
                    assertThat(t.getPatternType()).isEqualTo(AclResourcePatternType.LITERAL);
                    yield "topic:" + t.getName();
                }
                case AclRuleGroupResource g -> {
                    assertThat(g.getPatternType()).isEqualTo(AclResourcePatternType.LITERAL);
                    yield "group:" + g.getName();
                }
                default -> throw new AssertionError(user.getMetadata().getName() + ": an ACL on " + rule.getResource());
            };
            rule.getOperations().forEach(op -> acls.computeIfAbsent(resource, k -> new TreeSet<>()).add(op.toValue()));
        }
        return acls;
    }

    /** {@code file} is the {@code key} of Secret {@code secret}, mounted read-only into the container. */
    private static void assertMountedFromSecret(PodSpec pod, Container container, String file, String secret,
            String key) {
        Path path = Path.of(file);
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(v -> v.getMountPath().equals(path.getParent().toString())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + ": nothing mounted at " + path.getParent()));
        assertThat(mount.getReadOnly()).as(container.getName() + " " + mount.getName()).isTrue();
        io.fabric8.kubernetes.api.model.Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        // A Secret volume, or a projected volume with that Secret among its sources.
        List<io.fabric8.kubernetes.api.model.KeyToPath> items = new java.util.ArrayList<>();
        if (volume.getSecret() != null && secret.equals(volume.getSecret().getSecretName())) {
            items.addAll(volume.getSecret().getItems());
        } else if (volume.getProjected() != null) {
            volume.getProjected().getSources().stream()
                    .filter(source -> source.getSecret() != null && secret.equals(source.getSecret().getName()))
                    .forEach(source -> items.addAll(source.getSecret().getItems()));
        }
        assertThat(items).as(file + " from Secret " + secret).anySatisfy(item -> {
            assertThat(item.getKey()).isEqualTo(key);
            assertThat(item.getPath()).isEqualTo(path.getFileName().toString());
        });
    }

    @Test
    void theScalerWatchesTheApplicationsConsumerGroupWithinThePartitions() {
        String channel = "mp.messaging.incoming.labeled-data.";
        for (String overlay : List.of("k8s/overlays/cpu", "k8s/overlays/gpu")) {
            Manifests m = overlays.get(overlay);
            CrdSchemas.ScaledObject scaled = m.one(CrdSchemas.ScaledObject.class);
            Map<String, String> trigger = scaled.spec().triggers().get(0).metadata();
            assertThat(trigger).containsEntry("consumerGroup", app.get(channel + "group.id", null))
                    .containsEntry("topic", app.get(channel + "topic", "labeled-data"));
            assertThat(scaled.spec().scaleTargetRef().name()).isEqualTo(m.one(Deployment.class).getMetadata().getName());
            int partitions = topics(m).get(trigger.get("topic")).getSpec().getPartitions();
            assertThat(scaled.spec().maxReplicaCount()).as(overlay + ": replicas beyond partitions idle")
                    .isLessThanOrEqualTo(partitions).isGreaterThanOrEqualTo(scaled.spec().minReplicaCount());
        }
    }

    @Test
    void everyEnvironmentVariableSetsAKeyTheApplicationReads() {
        List<Pattern> known = app.environmentVariables();
        // the mapping can say no, and says yes to keys of each origin
        assertThat(reads(known, "ADAPTERLOOP_S3_ENDPOINTS")).isFalse();
        assertThat(reads(known, "ADAPTERLOOP_TASKS_SPAM_ADAPTER_RANKS")).isFalse();
        assertThat(reads(known, "ADAPTERLOOP_TASKS_NEWS_TRAINING_BATCH_SIZE")).isTrue(); // @ConfigMapping, map key
        assertThat(reads(known, "ADAPTERLOOP_S3_REGION")).isTrue(); // @ConfigMapping default only
        assertThat(reads(known, "KAFKA_BOOTSTRAP_SERVERS")).isTrue(); // the launcher
        for (Map.Entry<String, Manifests> overlay : overlays.entrySet()) {
            Set<String> unknown = new TreeSet<>();
            overlay.getValue().all(ConfigMap.class).forEach(c -> c.getData().keySet().stream()
                    .filter(name -> !reads(known, name)).forEach(unknown::add));
            for (Container container : ManifestFilesTest.containers(overlay.getValue())) {
                if (container.getName().startsWith("minio")) { // MinIO's server and setup Job: not the application
                    continue;
                }
                container.getEnv().stream().map(EnvVar::getName)
                        .filter(name -> !reads(known, name) && !JVM_VARIABLES.contains(name)).forEach(unknown::add);
                assertThat(container.getEnvFrom()).extracting(e -> e.getConfigMapRef().getName())
                        .containsExactly("adapterloop-config");
            }
            assertThat(unknown).as(overlay.getKey() + ": variables that set nothing the application reads").isEmpty();
        }
    }

    private static boolean reads(List<Pattern> known, String variable) {
        return known.stream().anyMatch(p -> p.matcher(variable).matches());
    }

    static Map<String, KafkaTopic> topics(Manifests m) {
        return m.all(KafkaTopic.class).stream().collect(Collectors.toMap(
                t -> t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName(),
                t -> t));
    }

    private void assertProbe(Container container, Probe probe, String path, String what) {
        assertThat(probe).as(what).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
        assertThat(resolve(container, probe.getHttpGet().getPort())).as(what + " port").isEqualTo(app.httpPort());
    }

    /** A port given by number or by the name of one of the container's ports. */
    private static int resolve(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }
}

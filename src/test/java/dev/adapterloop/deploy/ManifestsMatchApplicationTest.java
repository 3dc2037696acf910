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

    @Test
    void bootstrapServersAreTheStrimziClustersPlainListener() {
        for (String overlay : List.of("k8s/overlays/cpu", "k8s/overlays/gpu")) {
            Manifests m = overlays.get(overlay);
            Kafka kafka = m.one(Kafka.class);
            GenericKafkaListener plain = kafka.getSpec().getKafka().getListeners().stream()
                    .filter(l -> !l.isTls()).findFirst().orElseThrow();
            String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:" + plain.getPort();
            assertThat(m.one(ConfigMap.class).getData()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            assertThat(m.one(CrdSchemas.ScaledObject.class).spec().triggers().get(0).metadata())
                    .containsEntry("bootstrapServers", bootstrap);
        }
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
                if (container.getName().equals("minio")) {
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

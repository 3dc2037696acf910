package dev.adapterloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every file under k8s/, read with typed models that reject unknown fields. */
class ManifestFilesTest {

    @Test
    void everyManifestParsesWithItsTypedModelAndNoUnknownField() {
        List<Path> files = Manifests.yamlFiles(Manifests.K8S);
        assertThat(files).hasSizeGreaterThanOrEqualTo(20);
        Manifests all = Manifests.readTree(Manifests.K8S);
        assertThat(all.all(CrdSchemas.Kustomization.class)).hasSize(4);
        assertThat(all.all(io.strimzi.api.kafka.model.topic.KafkaTopic.class)).hasSize(9);
    }

    @Test
    void anUnknownFieldAnywhereFailsTheParse() {
        // One misspelt field at depth in each model family: fabric8, Strimzi, KEDA schema, kustomization schema.
        assertRejected("k8s/base/deployment.yaml", 0,
                "/spec/template/spec/containers/0/readinessProbe/httpGet", "pathh", "/q/health/ready");
        assertRejected("k8s/base/deployment.yaml", 0, "/spec/template/metadata", "label", "x");
        assertRejected("k8s/base/kafka-topics.yaml", 0, "/spec", "partition", "3");
        assertRejected("k8s/base/kafka.yaml", 1, "/spec/kafka/listeners/0", "tlss", "false");
        assertRejected("k8s/base/scaledobject.yaml", 0, "/spec", "maxReplicas", "3");
        assertRejected("k8s/overlays/gpu/kustomization.yaml", 0, "", "patches", "[]");
    }

    @Test
    void kafkaScalerMetadataUsesOnlyKedaKeys() {
        for (CrdSchemas.ScaledObject scaled : Manifests.readTree(Manifests.K8S).all(CrdSchemas.ScaledObject.class)) {
            if (scaled.spec().triggers() == null) {
                continue; // an overlay's patch
            }
            for (CrdSchemas.Trigger trigger : scaled.spec().triggers()) {
                assertThat(trigger.type()).isEqualTo("kafka");
                assertThat(CrdSchemas.KAFKA_TRIGGER_KEYS).containsAll(trigger.metadata().keySet());
            }
        }
    }

    @Test
    void noSecretIsCommittedAndCredentialsComeByReference() {
        Manifests all = Manifests.readTree(Manifests.K8S);
        assertThat(all.all(Secret.class)).as("Secret manifests in k8s/").isEmpty();
        List<EnvVar> secretRefs = new ArrayList<>();
        for (Container container : containers(all)) {
            for (EnvVar env : container.getEnv()) {
                if (env.getValue() != null) {
                    assertThat(env.getName()).as("credential passed as a literal value")
                            .doesNotContain("SECRET").doesNotContain("PASSWORD").doesNotContain("ACCESS_KEY")
                            .doesNotContain("ROOT_USER");
                }
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    secretRefs.add(env);
                }
            }
        }
        // Which Secret keys may reach a container: the application's S3 keys, the prediction-id key, MinIO's root
        // credentials (MinIO and its setup Job only) and the SCRAM login line of a KafkaUser declared here.
        List<String> kafkaUsers = all.all(KafkaUser.class).stream().map(u -> u.getMetadata().getName()).toList();
        assertThat(kafkaUsers).contains("adapterloop", "adapterloop-batch");
        Map<String, List<String>> allowed = new HashMap<>(Map.of(
                "adapterloop-s3", List.of("access-key", "secret-key"),
                "adapterloop-prediction-ids", List.of("key"),
                "minio-root", List.of("root-user", "root-password")));
        kafkaUsers.forEach(user -> allowed.put(user, List.of("sasl.jaas.config")));
        assertThat(secretRefs).isNotEmpty().allSatisfy(env -> {
            String secret = env.getValueFrom().getSecretKeyRef().getName();
            assertThat(allowed).as(env.getName()).containsKey(secret);
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).as(env.getName()).isIn(allowed.get(secret));
        });
        for (Container container : containers(all)) {
            boolean minio = container.getName().startsWith("minio");
            assertThat(container.getEnv()).as(container.getName() + ": MinIO's root credentials stay with MinIO")
                    .noneMatch(env -> !minio && env.getValueFrom() != null
                            && env.getValueFrom().getSecretKeyRef() != null
                            && env.getValueFrom().getSecretKeyRef().getName().equals("minio-root"));
        }
        // serving refuses to start with the development prediction-id key: the Deployment must bring its own
        assertThat(secretRefs).anySatisfy(env -> assertThat(env.getName())
                .isEqualTo("ADAPTERLOOP_SERVING_PREDICTION_ID_KEY"));
    }

    static List<Container> containers(Manifests manifests) {
        List<PodSpec> pods = new ArrayList<>();
        manifests.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        manifests.all(StatefulSet.class).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
        manifests.all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        manifests.all(CronJob.class)
                .forEach(c -> pods.add(c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()));
        List<Container> containers = new ArrayList<>();
        pods.stream().filter(p -> p != null && p.getContainers() != null)
                .forEach(p -> containers.addAll(p.getContainers()));
        return containers;
    }

    /** Adds {@code field: value} at {@code at} in one document of {@code file} and expects the parse to fail on it. */
    private static void assertRejected(String file, int document, String at, String field, String value) {
        JsonNode doc = StrictYaml.documents(Manifests.read(Path.of(file))).get(document);
        Manifests.typed(file, doc); // parses as committed
        JsonNode target = at.isEmpty() ? doc : doc.at(at);
        assertThat(target.isObject()).as(file + " has an object at " + at).isTrue();
        ((ObjectNode) target).set(field, StrictYaml.MAPPER.convertValue(parseScalar(value), JsonNode.class));
        assertThatThrownBy(() -> Manifests.typed(file, doc)).as(file + " with " + at + "/" + field)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
    }

    private static Object parseScalar(String value) {
        return value.equals("[]") ? List.of() : value;
    }
}

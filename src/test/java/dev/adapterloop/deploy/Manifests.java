package dev.adapterloop.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The deployment manifests as typed objects: each document is read strictly ({@link StrictYaml}) into the class its
 * {@code apiVersion} and {@code kind} name. A document of any other type fails, so a new kind in k8s/ needs a model
 * here first.
 */
final class Manifests {

    static final Path K8S = Path.of("k8s");

    /** apiVersion/kind to its model: fabric8 for Kubernetes, Strimzi's api for Kafka, {@link CrdSchemas} else. */
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("batch/v1/CronJob", CronJob.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", CrdSchemas.ScaledObject.class),
            Map.entry("keda.sh/v1alpha1/TriggerAuthentication", CrdSchemas.TriggerAuthentication.class),
            Map.entry("kustomize.config.k8s.io/v1beta1/Kustomization", CrdSchemas.Kustomization.class));

    private final List<Object> objects;

    private Manifests(List<Object> objects) {
        this.objects = List.copyOf(objects);
    }

    /** Every YAML file under {@code dir}, kustomization files included. */
    static Manifests readTree(Path dir) {
        List<Object> objects = new ArrayList<>();
        for (Path file : yamlFiles(dir)) {
            objects.addAll(parse(file.toString(), read(file)));
        }
        return new Manifests(objects);
    }

    /** One rendered stream (kubectl kustomize's output). */
    static Manifests of(String source, String yaml) {
        return new Manifests(parse(source, yaml));
    }

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Object> parse(String source, String yaml) {
        List<Object> parsed = new ArrayList<>();
        List<JsonNode> documents = StrictYaml.documents(yaml);
        for (int i = 0; i < documents.size(); i++) {
            parsed.add(typed(source + " document " + (i + 1), documents.get(i)));
        }
        return parsed;
    }

    static Object typed(String where, JsonNode document) {
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<?> model = MODELS.get(type);
        if (model == null) {
            throw new IllegalArgumentException(where + ": no model for " + type + " (known: " + MODELS.keySet() + ")");
        }
        try {
            return StrictYaml.MAPPER.treeToValue(document, model);
        } catch (JsonProcessingException e) {
            String path = e instanceof JsonMappingException m ? " at " + m.getPathReference() : "";
            throw new IllegalArgumentException(where + " (" + type + "): " + e.getOriginalMessage() + path, e);
        }
    }

    <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T> T one(Class<T> type) {
        List<T> all = all(type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + all.size());
        }
        return all.get(0);
    }

    List<Object> objects() {
        return objects;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

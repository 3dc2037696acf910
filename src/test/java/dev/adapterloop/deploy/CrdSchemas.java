package dev.adapterloop.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed schemas, read strictly, for the resources that have no Java model on the build machines' registry: KEDA's
 * {@code ScaledObject} (fields from KEDA 2.x's ScaledObject and Kafka scaler documentation) and kustomize's
 * {@code Kustomization} (the fields of kustomize v2.0.3, which kubectl 1.20 embeds and later versions still read).
 * Only the fields these manifests may use are declared: anything else fails the parse.
 */
final class CrdSchemas {

    private CrdSchemas() {
    }

    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {
    }

    record ScaledObjectSpec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
            Integer idleReplicaCount, Integer minReplicaCount, Integer maxReplicaCount, List<Trigger> triggers) {
    }

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    record Trigger(String type, String name, Map<String, String> metadata, AuthenticationRef authenticationRef) {
    }

    record AuthenticationRef(String name, String kind) {
    }

    /** KEDA 2.x's TriggerAuthentication, secrets only (the one source these manifests use). */
    record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec) {
    }

    record TriggerAuthenticationSpec(List<SecretTargetRef> secretTargetRef) {
    }

    record SecretTargetRef(String parameter, String name, String key) {
    }

    /** The Kafka scaler's metadata keys (KEDA 2.x); a misspelt key would be ignored by KEDA, so it fails here. */
    static final Set<String> KAFKA_TRIGGER_KEYS = Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold",
            "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset",
            "excludePersistentLag", "limitToPartitionsWithLag", "partitionLimitation", "version", "sasl", "tls");

    record Kustomization(String apiVersion, String kind, String namespace, String namePrefix, String nameSuffix,
            Map<String, String> commonLabels, Map<String, String> commonAnnotations, List<String> resources,
            List<String> bases, List<String> patchesStrategicMerge, List<Image> images) {
    }

    record Image(String name, @JsonProperty("newName") String newName, String newTag, String digest) {
    }
}

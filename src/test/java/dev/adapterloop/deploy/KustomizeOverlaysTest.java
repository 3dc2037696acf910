package dev.adapterloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Each kustomization rendered by kubectl and read back strictly: what `kubectl apply -k` would send. */
class KustomizeOverlaysTest {

    static final String GPU = "nvidia.com/gpu";

    /** Rendered once per test JVM: both test classes read the same output. */
    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

    static Manifests render(String dir) {
        return Manifests.of("kubectl kustomize " + dir,
                RENDERED.computeIfAbsent(dir, d -> Kustomize.render(Path.of(d))));
    }

    @Test
    void bothOverlaysRenderTheWholeStack() {
        for (String overlay : new String[] {"k8s/overlays/cpu", "k8s/overlays/gpu"}) {
            Manifests rendered = render(overlay);
            assertThat(rendered.all(Deployment.class)).as(overlay).hasSize(1);
            assertThat(rendered.all(Service.class)).as(overlay).hasSize(2);
            assertThat(rendered.all(ConfigMap.class)).as(overlay).hasSize(1);
            assertThat(rendered.all(PodDisruptionBudget.class)).as(overlay).hasSize(1);
            assertThat(rendered.all(NetworkPolicy.class)).as(overlay).hasSize(1);
            assertThat(rendered.all(CrdSchemas.ScaledObject.class)).as(overlay).hasSize(1);
            assertThat(rendered.all(Kafka.class)).as(overlay).hasSize(1);
            assertThat(rendered.all(KafkaNodePool.class)).as(overlay).hasSize(1);
            assertThat(rendered.all(KafkaTopic.class)).as(overlay).hasSize(9);
            assertThat(rendered.all(StatefulSet.class)).as(overlay).hasSize(1);
            // the GPU patch of the ScaledObject must not have dropped its trigger
            assertThat(rendered.one(CrdSchemas.ScaledObject.class).spec().triggers()).as(overlay).hasSize(1);
            assertImagesPinned(rendered, overlay);
        }
    }

    @Test
    void gpuOverlayRequestsAGpuOnGpuNodesWithTheCudaImage() {
        Manifests rendered = render("k8s/overlays/gpu");
        PodSpec pod = rendered.one(Deployment.class).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertThat(container.getResources().getLimits()).containsEntry(GPU, new Quantity("1"));
        assertThat(container.getResources().getRequests()).containsEntry(GPU, new Quantity("1"));
        assertThat(pod.getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo(GPU);
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getNodeSelector()).isNotEmpty().allSatisfy((k, v) -> assertThat(k).startsWith("nvidia.com/"));
        assertThat(container.getImage()).startsWith("adapterloop/adapterloop-cuda:");
        assertThat(rendered.one(ConfigMap.class).getData()).containsEntry("ADAPTERLOOP_ENGINE_DEVICE", "gpu");
    }

    @Test
    void cpuOverlayAsksForNoGpuAndRunsTheJvmImage() {
        Manifests rendered = render("k8s/overlays/cpu");
        PodSpec pod = rendered.one(Deployment.class).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertThat(container.getResources().getLimits()).doesNotContainKey(GPU);
        assertThat(container.getResources().getRequests()).doesNotContainKey(GPU);
        assertThat(pod.getTolerations()).isNullOrEmpty();
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(container.getImage()).startsWith("adapterloop/adapterloop-jvm:");
        assertThat(rendered.one(ConfigMap.class).getData()).containsEntry("ADAPTERLOOP_ENGINE_DEVICE", "cpu");
    }

    @Test
    void batchTemplatesRunTheTrainCommand() {
        Manifests rendered = render("k8s/batch");
        Container job = rendered.one(Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        Container cron = rendered.one(CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        for (Container c : new Container[] {job, cron}) {
            assertThat(c.getArgs()).startsWith("train", "--task").contains("--dataset-key");
            assertThat(c.getImage()).startsWith("adapterloop/adapterloop-jvm:");
        }
        assertThat(rendered.one(CronJob.class).getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertImagesPinned(rendered, "k8s/batch");
    }

    /** Every image has an explicit tag that is not "latest" (the base's placeholder must have been replaced). */
    static void assertImagesPinned(Manifests rendered, String where) {
        for (Container container : ManifestFilesTest.containers(rendered)) {
            String image = container.getImage();
            String tag = image.contains("@") ? "digest" : image.substring(image.lastIndexOf('/') + 1)
                    .replaceFirst("^[^:]*:?", "");
            assertThat(tag).as(where + ": tag of " + image).isNotBlank().isNotEqualTo("latest");
        }
    }

    static Map<String, Quantity> limits(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits();
    }
}

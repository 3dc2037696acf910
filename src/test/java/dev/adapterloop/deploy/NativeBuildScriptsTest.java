package dev.adapterloop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native build's bad-input cases (docs/native.md), run on the scripts themselves: each stops before any long
 * step, so they run in the unit tests, where the native build itself (15-30 minutes) cannot. A missing compiler and
 * a failed toolchain step name the step; the reflection registration names the jar it could not find.
 */
class NativeBuildScriptsTest {

    static final Path TOOLCHAIN = Path.of("src/build/native-toolchain");

    record Run(int exit, String out) {
    }

    static Run bash(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of("bash"), Stream.of(args)).toList())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** A PATH with everything of /usr/bin and /bin but the C and C++ compilers. */
    static String pathWithoutCompilers(Path dir) throws IOException {
        for (String from : List.of("/usr/bin", "/bin")) {
            try (Stream<Path> tools = Files.list(Path.of(from))) {
                for (Path tool : tools.toList()) {
                    String name = tool.getFileName().toString();
                    if (name.matches("(x86_64-linux-gnu-)?(gcc|g\\+\\+|cc|c\\+\\+)(-[0-9.]+)?")
                            || Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    Files.createSymbolicLink(dir.resolve(name), tool);
                }
            }
        }
        return dir.toString();
    }

    @Test
    void aMissingCompilerStopsTheToolchainAtItsStepWithThePackageToInstall(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path home = tmp.resolve("graalvm");

        Run run = bash(Map.of("PATH", pathWithoutCompilers(bin)),
                TOOLCHAIN.resolve("assemble.sh").toString(), home.toString());

        assertThat(run.exit()).as(run.out()).isNotZero();
        assertThat(run.out()).contains("assemble: FAILED in step 'check-tools': 'gcc' not found",
                "apt-get install -y build-essential binutils");
        assertThat(home).as("no half-built home").doesNotExist();
    }

    @Test
    void aBaseJdkWithoutJavacStopsTheToolchainAtItsStep(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        // Stand-ins for the compilers and binutils: this case is about the JDK check after them, on any machine.
        for (String tool : List.of("gcc", "g++", "ar", "objdump")) {
            Path stub = bin.resolve(tool);
            Files.writeString(stub, "#!/bin/sh\nexit 0\n");
            stub.toFile().setExecutable(true);
        }
        String path = bin + ":" + System.getenv("PATH");
        Path notAJdk = Files.createDirectory(tmp.resolve("not-a-jdk"));

        Run run = bash(Map.of("PATH", path, "NATIVE_BASE_JDK", notAJdk.toString()),
                TOOLCHAIN.resolve("assemble.sh").toString(), tmp.resolve("graalvm").toString());

        assertThat(run.exit()).as(run.out()).isNotZero();
        assertThat(run.out()).contains("assemble: FAILED in step 'check-tools': ");
        if (Files.exists(Path.of("/usr/include/zlib.h"))) { // else the zlib check, one line earlier, stops it
            assertThat(run.out()).contains("no javac in " + notAJdk);
        }
    }

    @Test
    void shippingTheLibrariesOfAMissingExecutableFailsNamingTheStep(@TempDir Path tmp) throws Exception {
        Run run = bash(Map.of(), TOOLCHAIN.resolve("maven-step.sh").toString(), "ship", "false", "false",
                tmp.resolve("graalvm").toString(), tmp.resolve("adapterloop-runner").toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("native-toolchain: FAILED in step 'ship-libs': no executable");
    }

    @Test
    void theReflectionRegistrationNamesAMissingClientJar(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("dev/adapterloop"));
        Files.write(tmp.resolve("dev/adapterloop/Some.class"), new byte[0]);

        Run run = bash(Map.of(), "src/build/native-reflect-config.sh", tmp.toString(), "/nowhere/guava-33.jar");

        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("native-reflect-config: FAILED: no minio-[0-9]*.jar on the classpath");
        assertThat(tmp.resolve("META-INF/native-image/dev.adapterloop/adapterloop-classes/reflect-config.json"))
                .content().contains("\"name\": \"dev.adapterloop.Some\"");
    }

    @Test
    void theReflectionRegistrationCoversTheObjectStoreClientsReflectiveClasses(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("dev/adapterloop"));
        Files.write(tmp.resolve("dev/adapterloop/Some.class"), new byte[0]);
        // Surefire runs the tests from a manifest-only jar: the real classpath is in its own property.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

        Run run = bash(Map.of(), "src/build/native-reflect-config.sh", tmp.toString(), classpath);

        assertThat(run.exit()).as(run.out()).isZero();
        String config = Files.readString(
                tmp.resolve("META-INF/native-image/dev.adapterloop/adapterloop-libraries/reflect-config.json"));
        // What the first native train failed on, and what simple-xml reads S3's listings with.
        assertThat(config).contains("{\"name\": \"io.minio.BucketExistsArgs\", \"allDeclaredConstructors\": true",
                "{\"name\": \"io.minio.BucketExistsArgs$Builder\", \"allDeclaredConstructors\": true",
                "{\"name\": \"io.minio.messages.ListBucketResultV2\", \"allDeclaredConstructors\": true",
                "{\"name\": \"org.simpleframework.xml.core.ElementLabel\", \"allDeclaredConstructors\": true",
                "{\"name\": \"java.util.ArrayList\", \"methods\": [{\"name\": \"<init>\", \"parameterTypes\": []}]}");
        assertThat(config).doesNotContain("$$Lambda");
    }
}

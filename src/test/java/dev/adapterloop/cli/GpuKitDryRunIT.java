package dev.adapterloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The GPU device kit's dry run (docs/gpu.md), so that the kit does not rot between device runs: prepares the kit from
 * the packaged application ({@code src/build/gpu-kit/prepare.sh --dry-run --fast}, small sample), then runs the
 * device script on the CPU in the two calls of the device procedure ({@code device-run.sh --dry-run --probe} with the
 * code, then {@code device-run.sh --dry-run} with the weights: the jlinked runtime, the kit's class path without the
 * CPU libtorch jar, libtorch 2.7.1 found through {@code PYTORCH_LIBRARY_PATH} and the JNI through DJL's cache, as on
 * the device) and checks what it reports. The Python steps are skipped where the build machine's python3 has no
 * transformers and peft (the script records why).
 */
class GpuKitDryRunIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path KIT = ROOT.resolve("target/gpu-kit-it");
    private static final Path WORK = ROOT.resolve("target/gpu-kit-it-run");
    private static final Path OUT = ROOT.resolve("target/gpu-kit-it-out");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theKitPreparesAndItsDeviceScriptRunsOnTheCpu() throws Exception {
        Map<String, String> env = Map.of("GPU_KIT_DIR", KIT.toString(), "GPU_KIT_WORK", WORK.toString(),
                "OUT", OUT.toString());
        DeviceCheck.deleteRecursively(OUT);
        DeviceCheck.deleteRecursively(WORK);

        String prepared = run(List.of("bash", "src/build/gpu-kit/prepare.sh", "--dry-run", "--fast", "--train", "96",
                "--held-out", "24"), env, 240);
        assertThat(prepared).contains("kit_code", "kit_weights", "call_code_total");
        for (String part : List.of("code/runtime", "code/app", "code/jni", "weights/model", "weights/data")) {
            assertThat(KIT.resolve(part + ".tar.xz")).as(part).isRegularFile();
        }

        // as on the device: a first call carries only the code and probes (JNI link check, engine load), a second
        // carries only the weights and finds the code unpacked by the first
        Path call1 = ROOT.resolve("target/gpu-kit-it-call1");
        Path call2 = ROOT.resolve("target/gpu-kit-it-call2");
        for (Path[] link : new Path[][] {{call1, KIT.resolve("code")}, {call2, KIT.resolve("weights")}}) {
            DeviceCheck.deleteRecursively(link[0]);
            Files.createDirectories(link[0]);
            Files.createSymbolicLink(link[0].resolve(link[1].getFileName()), link[1]);
        }
        String probe = run(List.of("bash", "src/build/gpu-kit/device-run.sh", "--dry-run", "--probe"),
                Map.of("GPU_KIT_DIR", call1.toString(), "GPU_KIT_WORK", WORK.toString(), "OUT", OUT.toString()), 120);
        JsonNode probed = JSON.readTree(OUT.resolve("summary.json").toFile());
        assertThat(probed.path("steps").path("java_load").asText()).as(probe).isEqualTo("passed");
        assertThat(probed.path("steps").path("java_checks").asText()).as(probe).startsWith("skipped");
        assertThat(WORK.resolve("model")).as("the probe needs no weights").doesNotExist();
        Files.delete(OUT.resolve("summary.json"));

        String log = run(List.of("bash", "src/build/gpu-kit/device-run.sh", "--dry-run"),
                Map.of("GPU_KIT_DIR", call2.toString(), "GPU_KIT_WORK", WORK.toString(), "OUT", OUT.toString()), 300);
        assertThat(log).as("the second call unpacks only the weights").doesNotContain("unpacked runtime")
                .contains("unpacked model");
        List<String> classpath = List.of(Files.readString(WORK.resolve("app/classpath")).strip().split(":"));
        assertThat(classpath).as("the kit's class path").anyMatch(s -> s.contains("pytorch-engine"))
                .noneMatch(s -> s.contains("pytorch-native-cpu"));
        JsonNode summary = JSON.readTree(OUT.resolve("summary.json").toFile());
        assertThat(summary.path("steps").path("jni_link").asText()).as(log).isEqualTo("passed");
        assertThat(summary.path("steps").path("java_load").asText()).as(log).isEqualTo("passed");
        assertThat(summary.path("steps").path("java_checks").asText()).as(log).isEqualTo("passed");

        JsonNode link = JSON.readTree(OUT.resolve("jni-link.json").toFile());
        assertThat(link.path("unresolved").asInt(-1)).isZero();
        assertThat(link.path("imports_torch").asInt()).isGreaterThan(300);

        JsonNode check = JSON.readTree(OUT.resolve("device-check.json").toFile());
        assertThat(check.path("passed").asBoolean()).as(check.toString()).isTrue();
        assertThat(check.path("environment").path("engine_version").asText()).isEqualTo("2.7.1");
        assertThat(check.path("parity").path("fp32_max_abs_diff").asDouble(1)).isLessThanOrEqualTo(1e-3);
        assertThat(check.path("parity").path("fp16_max_abs_diff").isNumber()).isTrue();
        for (String run : List.of("cpu_fp32", "cpu_fp16")) {
            JsonNode train = check.path("train").path(run);
            assertThat(train.path("nan_or_inf").asBoolean(true)).as(run).isFalse();
            assertThat(train.path("held_out_accuracy").asDouble(-1)).as(run).isBetween(0.0, 1.0);
        }
        List<String> methods = new ArrayList<>();
        check.path("bench").forEach(row -> {
            methods.add(row.path("method").asText());
            assertThat(row.path("tokens_per_s").asDouble()).isPositive();
        });
        assertThat(methods).containsExactly("lora", "lorma-plus", "lorma-pi", "milora");
        check.path("serve").path("max_abs_diff_vs_reference").forEach(d -> assertThat(d.asDouble(1)).isLessThan(1e-3));
        assertThat(check.path("serve").path("max_abs_diff_vs_reference").has("cpu_merged")).isTrue();
        assertThat(WORK.resolve("check/peft/adapter_config.json")).isRegularFile();
        assertThat(WORK.resolve("check/peft-interop.json")).isRegularFile();
    }

    private static String run(List<String> command, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("gpu-kit-it", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        System.out.println(text);
        assertThat(finished).as(command + " within " + timeoutSeconds + " s\n" + text).isTrue();
        assertThat(process.exitValue()).as(command + " exit status\n" + text).isZero();
        return text;
    }

}

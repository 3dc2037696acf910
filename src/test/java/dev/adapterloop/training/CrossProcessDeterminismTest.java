package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.engine.CpuKernels;
import dev.adapterloop.testing.BundledModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same training in two JVMs gives the same adapter bytes, not only two runs in one JVM: nothing in a run depends
 * on the process (addresses, thread scheduling, start-up order). Each JVM sets up the kernels in the mode under test
 * and trains on a thread other than the one the engine started on, as the launcher and the service do.
 */
class CrossProcessDeterminismTest {

    @ParameterizedTest
    @EnumSource(value = CpuKernels.class, names = {"FAST", "PORTABLE"})
    @Timeout(180)
    void twoProcessesTrainTheSameBytes(CpuKernels kernels) throws Exception {
        Path encoder = BundledModel.folder().toAbsolutePath();
        // Both at once, one intra-op thread each: the bytes do not depend on the thread count, the wall time does.
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(fork(encoder, kernels));
        }
        List<String> digests = new ArrayList<>();
        List<String> codePaths = new ArrayList<>();
        for (Process process : processes) {
            String output = outputOf(process);
            digests.add(line(output, ForkedTrainingRun.MARKER));
            codePaths.add(line(output, ForkedTrainingRun.CODE_PATH_MARKER));
        }
        System.out.printf("two processes, %s kernels (MKL %s): %s%n", kernels, codePaths, digests);
        assertThat(digests.get(0)).hasSize(64).isEqualTo(digests.get(1));
        if (kernels == CpuKernels.PORTABLE && "amd64".equals(System.getProperty("os.arch"))) {
            assertThat(codePaths).containsOnly("AVX2");
        }
    }

    private static Process fork(Path encoder, CpuKernels kernels) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-D" + CpuKernels.PROPERTY + "=" + kernels.name(),
                "-cp", System.getProperty("java.class.path"),
                ForkedTrainingRun.class.getName(), encoder.toString())
                .redirectErrorStream(true);
        // The mode under test decides, not what this JVM's own set-up put into its (inheritable) environment.
        builder.environment().keySet().removeAll(CpuKernels.LIBRARY_VARIABLES);
        return builder.start();
    }

    private static String outputOf(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("forked training failed:%n%s", output).isZero();
        return output;
    }

    private static String line(String output, String marker) {
        return output.lines().filter(line -> line.startsWith(marker))
                .map(line -> line.substring(marker.length()).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no '" + marker + "' in the output:\n" + output));
    }
}

package dev.adapterloop.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.decoder.DecoderConfig;
import dev.adapterloop.model.decoder.DecoderFamily;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.GreedyDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder benchmark's PyTorch peer ({@code src/test/python/decoder_peer.py}) computes what our decoder computes
 * on the same weights and ids: logits, the next-token loss and greedy tokens, with and without its KV cache. Skipped
 * where Debian's python3-torch is not installed.
 */
class DecoderPeerParityTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path PEER = Path.of("src/test/python/decoder_peer.py");
    private static final int PROMPT = 6;
    private static final int NEW_TOKENS = 10;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void thePeerComputesTheLogitsLossAndGreedyTokensOurDecoderComputes() throws Exception {
        assumeTrue(torchInstalled(), "Debian's python3-torch is not installed");
        DecoderShape shape = DecoderShapeTest.TINY;
        Path folder = dir.resolve("model");
        Path ids = dir.resolve("ids.safetensors");
        Path reference = dir.resolve("reference.safetensors");
        RandomDecoder.writeFolder(shape, 3, folder);
        RandomDecoder.writeIds(ids, 2, 24, shape.vocab(), 5);
        long[][] rows = RandomDecoder.readIds(ids);
        ObjectMapper json = new ObjectMapper();
        DecoderConfig config = DecoderConfig.read(json.readTree(folder.resolve(PretrainedModel.CONFIG).toFile()));
        float loss;
        long[] greedy;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            DecoderModel decoder = DecoderFamily.loadWeights(folder, config, manager);
            loss = DecoderWorker.writeReference(decoder, manager, rows, 2, reference);
            NDArray prompt = manager.create(Arrays.copyOf(rows[0], PROMPT), new Shape(1, PROMPT));
            greedy = new GreedyDecoder(decoder, manager).generate(prompt, prompt.onesLike(), NEW_TOKENS, true)[0];
        }
        Path ours = dir.resolve("ours.json");
        json.writeValue(ours.toFile(), Map.of("loss", loss, "greedy_cached", greedy, "greedy_uncached", greedy));

        JsonNode check = peer(json, "--case", "check", "--threads", "1", "--model", folder.toString(), "--ids",
                ids.toString(), "--batch", "2", "--prompt", "" + PROMPT, "--new-tokens", "" + NEW_TOKENS,
                "--reference", reference.toString(), "--reference-json", ours.toString());

        assertThat(check.path("max_abs_logit").asDouble()).as("logits that are not all ~0").isGreaterThan(0.1);
        assertThat(check.path("max_abs_logit_diff").asDouble()).isLessThan(1e-5);
        assertThat(check.path("loss_diff").asDouble()).isLessThan(1e-5);
        assertThat(check.path("greedy_cache_equals_full").asBoolean()).isTrue();
        assertThat(check.path("greedy_cached_tokens_equal_to_ours").asInt()).isEqualTo(NEW_TOKENS);
    }

    private static JsonNode peer(ObjectMapper json, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), PEER.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("the peer's exit code; its output: %s", stdout).isZero();
        String[] lines = stdout.strip().split("\n");
        return json.readTree(lines[lines.length - 1]);
    }

    private static boolean torchInstalled() throws Exception {
        if (!PYTHON.toFile().canExecute()) {
            return false;
        }
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy")
                .redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor() == 0;
    }
}

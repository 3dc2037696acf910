package dev.adapterloop.benchmark;

import ai.djl.Device;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.TextGenerator;
import dev.adapterloop.model.decoder.TokenizedCompletion;
import dev.adapterloop.serving.GenerationLoad;
import dev.adapterloop.testing.TinyDecoders;
import dev.adapterloop.training.CausalLmTrainer;
import dev.adapterloop.training.TrainingConfig;
import dev.adapterloop.training.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Generation serving and completion training on this machine, for two Llama-shaped decoders with random weights (the
 * figures do not depend on what the weights say; every request runs to its token budget): a 1.8-million-parameter
 * one, near the end-to-end test's decoder, and a 26.7-million-parameter one.
 * <ul>
 *   <li>Serving, through the same batcher the service uses ({@link GenerationLoad}): 1, 4 and 16 clients each sending
 *   requests one after another (prompt 32 tokens, 32 new tokens, greedy, the service's 4 decoding loops), with
 *   batching (up to 16 per loop) and without (1 per loop): time to the first text and per new token (medians),
 *   and new tokens per second over the run.</li>
 *   <li>Training: LoRA steps at batch 8 × 128 tokens with the loss on the last 32 tokens only (completion-only) and
 *   on all 127 (full sequence): tokens per second; the forward and backward passes are the same, only the loss mask
 *   differs.</li>
 * </ul>
 * Run: {@code ./mvnw -Pgeneration-benchmark verify}. Figures go to BENCHMARKS.md, "Generation".
 */
public final class GenerationBenchmark {

    private static final int PROMPT = 32;
    private static final int NEW_TOKENS = 32;
    private static final int REQUESTS_PER_CLIENT = 4;

    private GenerationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createDirectories(Path.of("target", "generation-benchmark"));
        System.out.printf("generation benchmark on %d cores, libtorch threads as DJL sets them%n",
                Runtime.getRuntime().availableProcessors());
        for (DecoderShape shape : List.of(new DecoderShape(128, 4, 4, 2, 352, 8192, 10000, true),
                new DecoderShape(512, 8, 8, 2, 1408, 8192, 10000, true))) {
            Path folder = root.resolve("d" + shape.hidden());
            RandomDecoder.writeFolder(shape, 7, folder);
            TinyDecoders.wordLevelTokenizer(shape.vocab(), folder.resolve("tokenizer.json"));
            try (PretrainedModel model = PretrainedModel.load(folder, Device.cpu())) {
                DecoderModel decoder = (DecoderModel) model.backbone();
                System.out.printf("%n## decoder hidden %d, %d layers: %.1fM parameters%n", shape.hidden(),
                        shape.layers(), shape.parameters() / 1e6);
                // No end ids: every request runs to its budget, so each figure counts the same tokens.
                TextGenerator generator = new TextGenerator(decoder, model.tokenizer(), List.of(), 0);
                System.out.println("| clients | batching | first text p50 (ms) | per token p50 (ms) | new tokens/s |");
                System.out.println("|---|---|---|---|---|");
                for (int clients : new int[] {1, 4, 16}) {
                    for (int maxBatch : new int[] {16, 1}) {
                        GenerationLoad.Figures f = GenerationLoad.run(model, generator, 4, maxBatch, clients,
                                REQUESTS_PER_CLIENT, i -> request(i));
                        System.out.printf("| %d | %s | %.0f | %.1f | %.0f |%n", clients,
                                maxBatch > 1 ? "up to " + maxBatch : "off", f.firstTextP50Millis(),
                                f.perTokenP50Millis(), f.tokensPerSecond());
                    }
                }
                training(model, decoder);
            }
        }
    }

    private static TextGenerator.Request request(int i) {
        Random random = new Random(i);
        String prompt = IntStream.range(0, PROMPT).mapToObj(t -> "t" + (3 + random.nextInt(8000)))
                .collect(Collectors.joining(" "));
        return new TextGenerator.Request(prompt, NEW_TOKENS, 0, 0, 1, i, List.of());
    }

    /** Completion-only against full-sequence loss, same sequences, same steps. */
    private static void training(PretrainedModel model, DecoderModel decoder) {
        Random random = new Random(3);
        List<CompletionExample> completionOnly = new ArrayList<>();
        List<CompletionExample> fullSequence = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            List<String> words = IntStream.range(0, 128).mapToObj(t -> "t" + (3 + random.nextInt(8000))).toList();
            completionOnly.add(new CompletionExample(String.join(" ", words.subList(0, 96)),
                    " " + String.join(" ", words.subList(96, 127))));
            fullSequence.add(new CompletionExample("", String.join(" ", words.subList(0, 127))));
        }
        for (var run : List.of(List.of("completion-only (last 32 tokens)", completionOnly),
                List.of("full sequence (127 tokens)", fullSequence))) {
            @SuppressWarnings("unchecked")
            List<CompletionExample> examples = (List<CompletionExample>) run.get(1);
            List<TokenizedCompletion> sequences = CausalLmTrainer.tokenize(model.tokenizer(), examples, 128, 2);
            TrainingConfig config = new TrainingConfig(1, 8, 128, 1e-3, 0, 0, 1, 8, 1);
            try (AdaptedLanguageModel lora = AdaptedLanguageModel.create(decoder, AdapterMethods.create("lora",
                    new SharedHyperparameters(8, 16, 0, TargetModules.of("q_proj", "v_proj"))), model.manager(), 1)) {
                TrainingResult result = new CausalLmTrainer(p -> { }).train(lora, sequences, config, 0);
                System.out.printf("training, loss on %s: %.0f tokens/s (%d steps of 8 × 128)%n", run.get(0),
                        result.tokensPerSecond(), result.steps());
            }
        }
    }
}

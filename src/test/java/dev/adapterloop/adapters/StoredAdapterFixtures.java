package dev.adapterloop.adapters;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lorma.LormaConfig.Placement;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import dev.adapterloop.adapters.lorma.LormaConfig;
import dev.adapterloop.adapters.milora.Components;
import dev.adapterloop.adapters.milora.MiloraConfig;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Every method and placement, moved away from init as training would move it, for the storage tests. */
public final class StoredAdapterFixtures {

    static final TargetModules TARGETS = TargetModules.parse("re:.*(query|value|intermediate\\.dense)");
    /** Query and value only: keeps the SVD init of MiLoRA/PiSSA at ~2 s per adapter. */
    static final TargetModules QUERY_VALUE = TargetModules.of("query", "value");
    static final List<String> LABELS = List.of("ham", "spam", "phishing");
    static final String BASE_MODEL = "models/all-minilm-l6-v2/";
    private static final List<String> TEXTS = List.of("Claim your FREE gift card today", "Lunch at noon?",
            "Re: patch for the build script", "Your account is locked: verify your password here");

    private StoredAdapterFixtures() {
    }

    /**
     * Every registered method: LoRMA in both placements, MiLoRA with rsLoRA, and any method not listed here (a new
     * plug-in) with its default options, so that the storage tests cover it without a change here.
     */
    static Stream<Arguments> everyMethodAndPlacement() {
        List<Arguments> listed = List.of(
                Arguments.of("lora", new LoraConfig(8, 16, 0.1, TARGETS, false)),
                Arguments.of("lorma-plus pre", new LormaConfig(Variant.PLUS, 8, 16, 0.1, TARGETS, Placement.PRE)),
                Arguments.of("lorma-plus post", new LormaConfig(Variant.PLUS, 8, 16, 0.0, TARGETS, Placement.POST)),
                Arguments.of("lorma-pi pre", new LormaConfig(Variant.PI, 8, 16, 0.0, TARGETS, Placement.PRE)),
                Arguments.of("lorma-pi post", new LormaConfig(Variant.PI, 8, 16, 0.05, TARGETS, Placement.POST)),
                Arguments.of("milora rslora", new MiloraConfig(Components.MINOR, 8, 8, 0.0, QUERY_VALUE, true)),
                Arguments.of("pissa", MiloraConfig.pissa(8, 16, 0.0, QUERY_VALUE)));
        Set<String> covered = listed.stream().map(arguments -> ((AdapterMethod) arguments.get()[1]).name())
                .collect(Collectors.toSet());
        Stream<Arguments> others = AdapterMethods.names().stream().filter(name -> !covered.contains(name))
                .map(name -> Arguments.of(name, AdapterMethods.create(name,
                        new SharedHyperparameters(8, 16, 0.0, QUERY_VALUE))));
        return Stream.concat(listed.stream(), others);
    }

    /** Adds Gaussian noise to every factor and to the head (LoRMA_π's less, keeping M near the identity). */
    public static void perturb(AdaptedClassifier model, long seed) {
        Random random = new Random(seed);
        double std = model.method().name().equals("lorma-pi") ? 0.01 : 0.02;
        model.trainableParameters().forEach((name, array) -> {
            float[] values = array.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) (random.nextGaussian() * std);
            }
            array.set(values);
        });
    }

    static float[] logits(AdaptedClassifier model, NDManager manager) {
        return model.logits(batch(model.base(), manager), false).toFloatArray();
    }

    public static NDList batch(PretrainedModel base, NDManager manager) {
        return TextTokenizer.collate(base.tokenizer().encode(TEXTS), manager, 64);
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    /** Every stored tensor of the adapter layers and the head, by name: what the own format holds. */
    static Map<String, float[]> storedValues(AdaptedClassifier model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        model.layers().forEach((path, layer) -> layer.storedTensors().forEach((name, array) ->
                values.put(path + "." + name, array.toFloatArray())));
        model.trainableParameters().forEach((name, array) -> {
            if (name.startsWith(AdaptedClassifier.HEAD)) {
                values.put(name, array.toFloatArray());
            }
        });
        return values;
    }
}

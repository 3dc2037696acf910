package dev.adapterloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.adapters.dora.DoraConfig;
import dev.adapterloop.adapters.lora.LoraConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry: what ServiceLoader finds, and the errors a configuration gets for a wrong name or option. */
class AdapterMethodsTest {

    private static final SharedHyperparameters SHARED = new SharedHyperparameters(8, 16, 0.1,
            TargetModules.of("query", "value"));

    @Test
    void everyRegisteredMethodIsFoundByNameWithItsOptions() {
        assertThat(AdapterMethods.names()).containsExactly("dora", "lora", "lorma-pi", "lorma-plus", "milora",
                "pissa");
        for (AdapterMethodProvider provider : AdapterMethods.providers()) {
            AdapterMethod method = AdapterMethods.create(provider.name(), SHARED);
            assertThat(method.name()).isEqualTo(provider.name());
            assertThat(method.shared()).isEqualTo(SHARED);
            assertThat(method.options().keySet()).as(provider.name())
                    .containsExactlyElementsOf(provider.options().stream().map(MethodOption::fieldName).toList());
            assertThat(provider.summary()).isNotBlank();
        }
    }

    @Test
    void optionsAreCheckedAgainstTheMethodThatDeclaresThem() {
        assertThat(AdapterMethods.create("lora", SHARED, Map.of("use-rslora", "TRUE")))
                .isEqualTo(new LoraConfig(SHARED, true));
        assertThatThrownBy(() -> AdapterMethods.create("lora", SHARED, Map.of("use-rslora", "yes")))
                .hasMessage("use-rslora must be one of [false, true], got 'yes'");
        assertThatThrownBy(() -> AdapterMethods.create("lora", SHARED, Map.of("placement", "post")))
                .hasMessage("'placement' is not an option of method 'lora' (its options: [use-rslora])");
        assertThatThrownBy(() -> AdapterMethods.create("lorma-plus", SHARED, Map.of("use-rslora", "true")))
                .hasMessage("'use-rslora' is not an option of method 'lorma-plus' (its options: [placement])");
        assertThatThrownBy(() -> AdapterMethods.create("LoRA", SHARED))
                .hasMessage("adapter method must be one of [dora, lora, lorma-pi, lorma-plus, milora, pissa],"
                        + " got 'LoRA'");
        assertThatThrownBy(() -> new SharedHyperparameters(0, 16, 0.1, TargetModules.of("query")))
                .hasMessage("rank must be > 0, got 0");
    }

    @Test
    void aPeftConfigurationIsReadByTheMethodThatClaimsIt() {
        TargetModules targets = TargetModules.of("query", "value");
        assertThat(AdapterMethods.fromPeft(new PeftLoraSettings(8, 16, 0.05, true, false), targets))
                .isEqualTo(new LoraConfig(8, 16, 0.05, targets, true));
        assertThat(AdapterMethods.fromPeft(new PeftLoraSettings(8, 16, 0.05, false, true), targets))
                .isEqualTo(new DoraConfig(8, 16, 0.05, targets, false));
    }

    @Test
    void everyMethodCountsItsFlopsAndAPositivePeftScaling() {
        for (AdapterMethodProvider provider : AdapterMethods.providers()) {
            AdapterMethod method = AdapterMethods.create(provider.name(), SHARED);
            method.peftSettings().ifPresent(settings -> assertThat(settings.scaling()).as(provider.name())
                    .isPositive());
            assertThat(method.forwardFlops(128, 384, 384)).as(provider.name()).isPositive();
        }
    }
}

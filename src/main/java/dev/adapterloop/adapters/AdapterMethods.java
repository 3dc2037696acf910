package dev.adapterloop.adapters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of adapter methods: every {@link AdapterMethodProvider} listed in
 * {@code META-INF/services/dev.adapterloop.adapters.AdapterMethodProvider} on the class path, found once through
 * {@link ServiceLoader}. Adding a method is a folder plus one line there; nothing else in the code names a method.
 */
public final class AdapterMethods {

    private static final Map<String, AdapterMethodProvider> PROVIDERS = load();

    private AdapterMethods() {
    }

    private static Map<String, AdapterMethodProvider> load() {
        List<AdapterMethodProvider> found = new ArrayList<>();
        // This class's own loader: under Quarkus the thread's context loader may not be the one that loaded us.
        ServiceLoader.load(AdapterMethodProvider.class, AdapterMethods.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparing(AdapterMethodProvider::name));
        Map<String, AdapterMethodProvider> byName = new LinkedHashMap<>();
        for (AdapterMethodProvider provider : found) {
            AdapterMethodProvider previous = byName.putIfAbsent(provider.name(), provider);
            if (previous != null) {
                throw new IllegalStateException("two adapter method providers are named '" + provider.name() + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalStateException("no adapter method is registered: the class path lacks "
                    + "META-INF/services/" + AdapterMethodProvider.class.getName());
        }
        return byName;
    }

    /** The registered methods' names, sorted. */
    public static List<String> names() {
        return List.copyOf(PROVIDERS.keySet());
    }

    /** Every registered provider, sorted by name. */
    public static List<AdapterMethodProvider> providers() {
        return List.copyOf(PROVIDERS.values());
    }

    /** The provider named {@code name}; an error listing the registered names when there is none. */
    public static AdapterMethodProvider provider(String name) {
        AdapterMethodProvider provider = PROVIDERS.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("adapter method must be one of " + names() + ", got '" + name + "'");
        }
        return provider;
    }

    /**
     * Builds the method {@code name} with its own {@code options} (kebab-case names to values; those not given take
     * their defaults).
     *
     * @throws IllegalArgumentException an unknown method or option, an option value outside its choices, or
     *                                  hyperparameters the method refuses; the message names which
     */
    public static AdapterMethod create(String name, SharedHyperparameters shared, Map<String, String> options) {
        AdapterMethodProvider provider = provider(name);
        return provider.create(shared, MethodOptions.resolve(name, provider.options(), options));
    }

    /** {@link #create} with every option at its default. */
    public static AdapterMethod create(String name, SharedHyperparameters shared) {
        return create(name, shared, Map.of());
    }

    /**
     * The method a PEFT LoRA configuration describes: the first provider, by name, that claims it.
     *
     * @throws IllegalArgumentException no registered method reads it
     */
    public static AdapterMethod fromPeft(PeftLoraSettings settings, TargetModules targets) {
        for (AdapterMethodProvider provider : PROVIDERS.values()) {
            var method = provider.fromPeft(settings, targets);
            if (method.isPresent()) {
                return method.get();
            }
        }
        throw new IllegalArgumentException("no registered adapter method reads a PEFT LoRA configuration with "
                + settings + " (methods: " + names() + ")");
    }
}

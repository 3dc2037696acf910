package dev.adapterloop.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of model families: every {@link ModelFamily} listed in
 * {@code META-INF/services/dev.adapterloop.model.ModelFamily}, found once through {@link ServiceLoader}.
 */
public final class ModelFamilies {

    private static final Map<String, ModelFamily> BY_TYPE = load();

    private ModelFamilies() {
    }

    private static Map<String, ModelFamily> load() {
        List<ModelFamily> found = new ArrayList<>();
        // This class's own loader: under Quarkus the thread's context loader may not be the one that loaded us.
        ServiceLoader.load(ModelFamily.class, ModelFamilies.class.getClassLoader()).forEach(found::add);
        Map<String, ModelFamily> byType = new TreeMap<>();
        for (ModelFamily family : found) {
            for (String type : family.modelTypes()) {
                ModelFamily previous = byType.putIfAbsent(type, family);
                if (previous != null) {
                    throw new IllegalStateException("two model families read model_type '" + type + "': "
                            + previous.getClass().getName() + " and " + family.getClass().getName());
                }
            }
        }
        if (byType.isEmpty()) {
            throw new IllegalStateException("no model family is registered: the class path lacks META-INF/services/"
                    + ModelFamily.class.getName());
        }
        return byType;
    }

    /** The model types some family reads, sorted. */
    public static List<String> modelTypes() {
        return List.copyOf(BY_TYPE.keySet());
    }

    /** The family that reads {@code modelType}; an {@link IllegalArgumentException} lists the known types. */
    public static ModelFamily forType(String modelType) {
        ModelFamily family = BY_TYPE.get(modelType);
        if (family == null) {
            throw new IllegalArgumentException("model_type '" + modelType + "' is not supported (supported: "
                    + modelTypes() + ")");
        }
        return family;
    }
}

package dev.adapterloop.config;

import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;

/** A task's {@code adapter.*} settings as the method they configure. */
public final class AdapterSettings {

    private AdapterSettings() {
    }

    /**
     * @throws IllegalArgumentException an unknown method or option, or a value the method refuses; the message names
     *                                  the setting
     */
    public static AdapterMethod method(TasksConfig.Adapter adapter) {
        return AdapterMethods.create(adapter.method(), new SharedHyperparameters(adapter.rank(), adapter.alpha(),
                adapter.dropout(), TargetModules.parse(adapter.targetModules())), adapter.options());
    }
}

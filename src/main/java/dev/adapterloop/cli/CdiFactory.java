package dev.adapterloop.cli;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import picocli.CommandLine;

/**
 * Lets picocli build subcommands as CDI beans (so they get the registry, configuration, ...); classes that are not
 * beans (converters, plain option holders) fall back to picocli's own factory.
 */
final class CdiFactory implements CommandLine.IFactory {

    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        InstanceHandle<K> bean = Arc.container().instance(cls);
        return bean.isAvailable() ? bean.get() : fallback.create(cls);
    }
}

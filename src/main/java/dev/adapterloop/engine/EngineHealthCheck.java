package dev.adapterloop.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when DJL's PyTorch engine loads (its native library, no model) and offers the configured device. Computed
 * once and kept: a native library that failed to load does not come back without a restart.
 */
@Readiness
@ApplicationScoped
public class EngineHealthCheck implements HealthCheck {
    static final String NAME = "training-engine";
    static final String ENGINE = "PyTorch";

    private final EngineConfig config;
    private volatile HealthCheckResponse result;

    EngineHealthCheck(EngineConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse known = result;
        if (known == null) {
            synchronized (this) {
                if (result == null) {
                    result = check();
                }
                known = result;
            }
        }
        return known;
    }

    private HealthCheckResponse check() {
        var response = HealthCheckResponse.named(NAME).withData("configured-device", config.device());
        try {
            Engine engine = Engine.getEngine(ENGINE);
            int gpus = engine.getGpuCount();
            response.withData("engine", engine.getEngineName()).withData("version", engine.getVersion())
                    .withData("gpus", gpus);
            Device device = switch (config.device()) {
                case "cpu" -> Device.cpu();
                case "gpu" -> Device.gpu();
                case "auto" -> engine.defaultDevice();
                default -> null;
            };
            if (device == null) {
                return response.down().withData("error", "adapterloop.engine.device must be auto, cpu or gpu").build();
            }
            response.withData("device", device.toString());
            if (config.device().equals("auto") && gpus == 0) { // e.g. the CUDA image on a node without a GPU
                io.quarkus.logging.Log.infof("PyTorch %s sees no GPU: adapterloop.engine.device=auto falls back to"
                        + " the CPU", engine.getVersion());
            }
            return device.isGpu() && gpus == 0
                    ? response.down().withData("error", "adapterloop.engine.device=gpu but PyTorch sees no GPU").build()
                    : response.up().build();
        } catch (RuntimeException | LinkageError e) { // EngineException, UnsatisfiedLinkError
            return response.down().withData("error", e.toString()).build();
        }
    }
}

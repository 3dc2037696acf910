package dev.adapterloop.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Where training runs and keeps local files: {@code adapterloop.engine.*}. */
@ConfigMapping(prefix = "adapterloop.engine")
public interface EngineConfig {

    /** {@code auto} (a GPU when DJL finds one, else the CPU), {@code cpu} or {@code gpu}. */
    @WithDefault("auto")
    String device();

    /**
     * Activation precision: {@code auto} (fp32, also on a GPU, until fp16 training reaches the adapter factors: see
     * docs/engine.md "Mixed precision"), {@code fp32} or
     * {@code fp16}. Adapters always train fp32 master copies; bf16 is not offered because it crashes DJL.
     */
    @WithDefault("auto")
    String precision();

    /** Local copies of base models downloaded from the bucket. */
    @WithDefault("data/cache/models")
    Path modelCache();

    /** Scratch space for adapters being written. */
    @WithDefault("data/work")
    Path workDir();
}

package dev.adapterloop.nativelib;

import io.quarkus.logging.Log;
import java.util.Optional;

/**
 * Whether this process may load the project's native helpers at all: the MKL vendor dispatch, the CPU block cache
 * and the fused attention. {@link #OFF} turns all three off for the whole process (a switch for when one of them is
 * suspected, and for CI's pass without them); {@link #ON} (the default) lets each load where it was written for
 * this libtorch ({@link LibtorchVersion#EXPECTED}). Chosen with the system property {@value #PROPERTY} or the
 * environment variable {@value #ENVIRONMENT}; the environment variable also reaches child processes.
 */
public enum NativeHelpers {

    /** Each helper loads where this process runs the libtorch it was written for. */
    ON,

    /** None loads: the process runs on DJL and libtorch alone. */
    OFF;

    public static final String PROPERTY = "adapterloop.native-helpers";
    public static final String ENVIRONMENT = "ADAPTERLOOP_NATIVE_HELPERS";

    /** The setting the property or the environment names, {@link #ON} when neither does. */
    public static NativeHelpers configured() {
        return ProcessSetting.configured(NativeHelpers.class, PROPERTY, ENVIRONMENT, ON);
    }

    /**
     * Why {@code helper} must stay off, as a phrase naming it ("the CPU block cache is off (...)"), or empty when it
     * may load: {@code setting} is {@link #ON} and {@code libtorchVersion} is {@link LibtorchVersion#EXPECTED}.
     */
    public static Optional<String> offBecause(NativeHelpers setting, String helper, String libtorchVersion) {
        if (setting == OFF) {
            return Optional.of(helper + " is off (" + PROPERTY + "=off)");
        }
        if (!LibtorchVersion.EXPECTED.equals(libtorchVersion)) {
            return Optional.of(helper + " is off (written for libtorch " + LibtorchVersion.EXPECTED
                    + ", this process has libtorch " + libtorchVersion + ")");
        }
        return Optional.empty();
    }

    /**
     * Whether a helper that loads before the engine may load here; when not, logs one line naming {@code helper},
     * why, and {@code without}: what the process does without it.
     */
    public static boolean mayLoadBeforeEngine(String helper, String without) {
        NativeHelpers setting = configured();
        Optional<String> off = offBecause(setting, helper, setting == OFF ? null : LibtorchVersion.beforeEngine());
        off.ifPresent(reason -> {
            if (setting == OFF) {
                Log.infof("%s: %s", reason, without);
            } else {
                Log.warnf("%s: %s", reason, without);
            }
        });
        return off.isEmpty();
    }
}

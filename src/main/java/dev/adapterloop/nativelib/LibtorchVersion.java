package dev.adapterloop.nativelib;

import ai.djl.util.Platform;
import ai.djl.util.Utils;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The libtorch the native helpers were written for, and the one this process will run. The helpers reach into
 * libtorch's internals (its allocator, a mangled operator entry point), so another libtorch must not get them.
 */
public final class LibtorchVersion {

    /** The libtorch every helper in src/main/c is written and tested for: DJL 0.35.1's pytorch-native-cpu jar. */
    public static final String EXPECTED = "2.7.1";

    /** DJL's own pattern for its version strings ({@code 2.7.1-20250812} is libtorch 2.7.1). */
    private static final Pattern RELEASE = Pattern.compile("(\\d+\\.\\d+\\.\\d+(-[a-z]+)?)(-SNAPSHOT)?(-\\d+)?");

    private LibtorchVersion() {
    }

    /**
     * The libtorch DJL will load, found as DJL finds it, without loading it: the {@code PYTORCH_VERSION} environment
     * variable or system property where set (it overrides the rest, also for {@code PYTORCH_LIBRARY_PATH}), else
     * the version of the native jar on the class path ({@code native/lib/pytorch.properties}), else the one DJL's
     * engine jar names. {@code "unknown"} when DJL cannot tell either.
     */
    public static String beforeEngine() {
        try {
            String override = Utils.getEnvOrSystemProperty("PYTORCH_VERSION");
            return release(override != null && !override.isEmpty() ? override
                    : Platform.detectPlatform("pytorch").getVersion());
        } catch (RuntimeException | AssertionError e) {
            return "unknown";
        }
    }

    /** {@code 2.7.1} for {@code 2.7.1-20250812}, as DJL reports an engine's version; anything else unchanged. */
    public static String release(String version) {
        Matcher matcher = RELEASE.matcher(version.strip());
        return matcher.matches() ? matcher.group(1) : version.strip();
    }
}

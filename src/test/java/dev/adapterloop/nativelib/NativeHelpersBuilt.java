package dev.adapterloop.nativelib;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the build must have compiled the native helpers (src/main/c) and the process may load them: Linux x86-64 with
 * a C compiler on PATH, a C++ compiler for the C++ ones, and the helpers not switched off ({@link NativeHelpers}).
 */
public final class NativeHelpersBuilt {

    private NativeHelpersBuilt() {
    }

    /** Skips the calling test where the build leaves the C helpers out by design. */
    public static void assume() {
        assumeCompiler("cc", "C");
    }

    /** Skips the calling test where the build leaves the C++ helpers out by design. */
    public static void assumeCxx() {
        assumeCompiler("c++", "C++");
    }

    private static void assumeCompiler(String command, String language) {
        assumeTrue(BundledNativeLibrary.supportedPlatform(), "the native helpers are built for Linux x86-64 only");
        assumeTrue(NativeHelpers.configured() == NativeHelpers.ON,
                "the native helpers are switched off in this process (" + NativeHelpers.PROPERTY + "=off)");
        boolean onPath = Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
        assumeTrue(onPath, "no " + language + " compiler: the build leaves its native helpers out by design");
    }
}

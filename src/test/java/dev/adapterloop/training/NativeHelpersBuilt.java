package dev.adapterloop.training;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the build must have compiled the native helpers (src/main/c): Linux x86-64 with a C compiler on PATH. */
final class NativeHelpersBuilt {

    private NativeHelpersBuilt() {
    }

    /** Skips the calling test where the build leaves the helpers out by design. */
    static void assume() {
        assumeTrue(BundledNativeLibrary.supportedPlatform(), "the native helpers are built for Linux x86-64 only");
        boolean compilerOnPath = Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "cc")));
        assumeTrue(compilerOnPath, "no C compiler: the build leaves the native helpers out by design");
    }
}

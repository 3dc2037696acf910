package dev.adapterloop.nativelib;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * Loads one of the project's native helpers (src/main/c, built into the jar by src/build/compile-native.sh) into the
 * process's global symbol scope, where its definitions take precedence over those of libraries loaded after it.
 */
public final class BundledNativeLibrary {

    private static final int RTLD_NOW = 0x2;
    private static final int RTLD_GLOBAL = 0x100;

    private BundledNativeLibrary() {
    }

    /** Whether the helpers can exist here at all: they are built for Linux x86-64 only. */
    public static boolean supportedPlatform() {
        return "Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"));
    }

    /**
     * {@link #loadGlobal}, with a warning that names {@code what} and the {@code consequence} when the library is
     * not in this build or cannot be loaded: the process goes on without it. Null then.
     */
    public static NativeLibrary loadGlobalOrWarn(String resource, String what, String consequence) {
        try {
            Optional<NativeLibrary> library = loadGlobal(resource);
            if (library.isEmpty()) {
                Log.warnf("%s is not in this build (it was built without a C compiler): %s", resource, consequence);
            }
            return library.orElse(null);
        } catch (IOException | RuntimeException e) {
            Log.warnf("cannot load %s (%s): %s", what, e.toString(), consequence);
            return null;
        }
    }

    /**
     * The loaded library, or empty when this build does not contain {@code resource} (it was built without a C
     * compiler). The caller must keep the returned object reachable: JNA closes a library whose instance is collected.
     *
     * @throws IOException when the library is in the build but cannot be copied out or loaded (a {@code noexec}
     *         temporary directory, a missing libc symbol)
     */
    public static Optional<NativeLibrary> loadGlobal(String resource) throws IOException {
        try (InputStream in = BundledNativeLibrary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            // A file of its own for dlopen; it can go as soon as the library is mapped.
            Path file = Files.createTempFile("adapterloop-", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                return Optional.of(NativeLibrary.getInstance(file.toString(),
                        Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW | RTLD_GLOBAL)));
            } catch (UnsatisfiedLinkError e) {
                throw new IOException(e.getMessage(), e);
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}

package dev.adapterloop.engine;

import com.sun.jna.NativeLibrary;
import dev.adapterloop.nativelib.BundledNativeLibrary;
import dev.adapterloop.nativelib.NativeHelpers;
import dev.adapterloop.nativelib.ProcessSetting;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where libtorch's CPU tensors get their memory in this process. {@link #install()} must run before the PyTorch
 * engine loads, like {@link CpuKernels#apply()}: the launcher, the benchmark workers and test JVMs call both first.
 *
 * <p>{@link #CACHING} (the default) loads {@code src/main/c/cpu_block_cache.c}, which keeps freed blocks of 1 MiB and
 * more by size class and hands them to the next tensor of that class, as PyTorch's CUDA allocator does on a GPU. A
 * training step frees and allocates the same blocks every step, so the process stays at the size of its live tensors
 * instead of growing with glibc's fragmentation: peak RSS of the bundled encoder's LoRA step 717 MiB against 978 MiB,
 * at the same step time (BENCHMARKS.md). Chosen with the system property {@value #PROPERTY} or the environment
 * variable {@value #ENVIRONMENT}.
 */
public enum CpuAllocator {

    /** The project's block cache in front of glibc. */
    CACHING,

    /** libc10's own allocator: glibc malloc for every tensor. */
    SYSTEM;

    public static final String PROPERTY = "adapterloop.cpu-allocator";
    public static final String ENVIRONMENT = "ADAPTERLOOP_CPU_ALLOCATOR";
    static final String CACHE_RESOURCE = "adapterloop/native/linux-x86-64/libadapterloop-cpu-block-cache.so";
    static final String CACHE_HELPER = "the CPU block cache";
    static final String WITHOUT_CACHE =
            "CPU tensors use glibc's allocator, which holds about a third more memory while training";

    private static volatile CpuAllocator installed;
    /** Held for the life of the process: JNA closes a library whose {@link NativeLibrary} is collected. */
    private static NativeLibrary cache;

    /** What the block cache holds and has done so far. */
    public record CacheStats(long mappedBytes, long cachedBytes, long hits, long misses, long evictions) {
    }

    /** The mode the property or the environment names, {@link #CACHING} when neither does. */
    public static CpuAllocator configured() {
        return ProcessSetting.configured(CpuAllocator.class, PROPERTY, ENVIRONMENT, CACHING);
    }

    /** Parses {@code caching} or {@code system} (any case). */
    public static CpuAllocator parse(String value) {
        return ProcessSetting.parse(CpuAllocator.class, PROPERTY, value);
    }

    /** Installs the {@link #configured()} mode once per process; later calls return the mode installed first. */
    public static synchronized CpuAllocator install() {
        if (installed == null) {
            CpuAllocator mode = configured();
            if (mode == CACHING && BundledNativeLibrary.supportedPlatform()) {
                loadCache();
            }
            installed = mode;
        }
        return installed;
    }

    /** Whether tensors go through the block cache in this process. */
    public static synchronized boolean cacheLoaded() {
        return loadedCache() != null;
    }

    /** The block cache's figures; empty when it is not loaded. */
    public static synchronized Optional<CacheStats> cacheStats() {
        NativeLibrary library = loadedCache();
        if (library == null) {
            return Optional.empty();
        }
        long[] out = new long[6];
        library.getFunction("adapterloop_cpu_cache_stats").invoke(new Object[] {out});
        return Optional.of(new CacheStats(out[0], out[1], out[2], out[3], out[4]));
    }

    /**
     * Gives every cached block back to the operating system, for when the process goes idle (a job has ended); the
     * next tensors map fresh blocks. Returns the bytes given back, 0 without the cache.
     */
    public static synchronized long releaseCache() {
        NativeLibrary library = loadedCache();
        return library == null ? 0 : library.getFunction("adapterloop_cpu_cache_release").invokeLong(new Object[0]);
    }

    private static boolean torchAlreadyLoaded() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.anyMatch(line -> line.endsWith("/libc10.so"));
        } catch (IOException | UncheckedIOException e) {
            return true; // cannot tell: the safe answer
        }
    }

    /** One part of the start-up log line. */
    public static String describe() {
        return cacheLoaded() ? "CPU block cache" : "system CPU allocator";
    }

    /**
     * The cache this class loaded, or the one its twin in another class loader of this process loaded (Quarkus tests
     * and dev mode load application classes twice): a process has one cache, in its global symbol scope.
     */
    private static NativeLibrary loadedCache() {
        if (cache == null && BundledNativeLibrary.supportedPlatform()) {
            try {
                NativeLibrary.getProcess().getFunction("adapterloop_cpu_cache_stats");
                cache = NativeLibrary.getProcess();
            } catch (LinkageError e) {
                // not loaded in this process (UnsatisfiedLinkError), or no JNA: the native executable, where JNA's
                // Native class cannot initialise (NoClassDefFoundError) and the system allocator is the default
            }
        }
        return cache;
    }

    private static void loadCache() {
        if (loadedCache() != null) {
            return;
        }
        if (torchAlreadyLoaded()) {
            // Part of libtorch would have bound libc10's allocator already: blocks from one freed by the other.
            Log.warnf("the PyTorch engine loaded before %s was set up: CPU tensors use glibc's allocator", PROPERTY);
            return;
        }
        if (!NativeHelpers.mayLoadBeforeEngine(CACHE_HELPER, WITHOUT_CACHE)) {
            return;
        }
        cache = BundledNativeLibrary.loadGlobalOrWarn(CACHE_RESOURCE, CACHE_HELPER, WITHOUT_CACHE);
    }
}

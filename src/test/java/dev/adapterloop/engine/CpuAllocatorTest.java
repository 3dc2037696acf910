package dev.adapterloop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.nativelib.NativeHelpers;
import dev.adapterloop.nativelib.NativeHelpersBuilt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The CPU block cache in this JVM, installed as the launcher installs it (by {@code TestJvmKernels}) before the engine
 * loaded. Every other test of the suite runs its tensors through it too.
 */
class CpuAllocatorTest {

    private static final long MIB = 1 << 20;

    @Test
    void theBuildShipsTheCacheAndTheTestJvmRunsOnIt() {
        NativeHelpersBuilt.assume();
        assertThat(getClass().getClassLoader().getResource(CpuAllocator.CACHE_RESOURCE)).isNotNull();
        assertThat(CpuAllocator.install()).isEqualTo(CpuAllocator.CACHING);
        assertThat(CpuAllocator.cacheLoaded()).isTrue();
        assertThat(CpuAllocator.describe()).isEqualTo("CPU block cache");
    }

    /** With the helpers switched off (CI's second pass), tensors go through libc10's own allocator. */
    @Test
    void theSwitchKeepsTheCacheOut() {
        assumeTrue(NativeHelpers.configured() == NativeHelpers.OFF, "the native helpers are on in this JVM");
        assertThat(CpuAllocator.install()).isEqualTo(CpuAllocator.CACHING);
        assertThat(CpuAllocator.cacheLoaded()).isFalse();
        assertThat(CpuAllocator.describe()).isEqualTo("system CPU allocator");
    }

    /** A freed block serves the next tensor of its size class: one mapping, then hits only. */
    @Test
    void aFreedBlockServesTheNextTensorOfItsClass() {
        assumeTrue(CpuAllocator.cacheLoaded());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            // 5.3 MiB: a class no other test uses while this one runs.
            Shape shape = new Shape(1_389_363);
            manager.zeros(shape).close();
            CpuAllocator.CacheStats before = CpuAllocator.cacheStats().orElseThrow();
            for (int i = 0; i < 50; i++) {
                try (NDArray array = manager.ones(shape)) {
                    assertThat(array.sum().getFloat()).isEqualTo(1_389_363f);
                }
            }
            CpuAllocator.CacheStats after = CpuAllocator.cacheStats().orElseThrow();
            assertThat(after.hits() - before.hits()).isGreaterThanOrEqualTo(50);
            assertThat(after.mappedBytes()).isLessThanOrEqualTo(before.mappedBytes() + 6 * MIB);
        }
    }

    /**
     * Threads that allocate, fill, check and free tensors of mixed sizes at once each see only their own values: a
     * block is never handed to two live tensors.
     */
    @Test
    void concurrentTensorsNeverShareABlock() throws Exception {
        assumeTrue(CpuAllocator.cacheLoaded());
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 60; i++) {
                        try (NDManager scope = manager.newSubManager()) {
                            List<NDArray> held = new ArrayList<>();
                            for (int k = 1; k <= 3; k++) {
                                long elements = (long) (MIB / 4 * (k + (i + id) % 5)) + id * 17L;
                                held.add(scope.full(new Shape(elements), id * 1000 + i * 10 + k, DataType.FLOAT32));
                            }
                            Thread.yield();
                            for (int k = 1; k <= 3; k++) {
                                NDArray array = held.get(k - 1);
                                float expected = id * 1000 + i * 10 + k;
                                assertThat(array.eq(expected).all().getBoolean())
                                        .as("thread %d, round %d, tensor %d", id, i, k).isTrue();
                                checked++;
                            }
                        }
                    }
                    return checked;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(180);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Tensors of ever new sizes (a service scoring batches of every length) do not make the cache grow without bound:
     * idle blocks beyond the slack (128 MiB) are unmapped, oldest first, before a new block is mapped.
     */
    @Test
    void idleBlocksOfOtherClassesStayWithinTheSlack() {
        assumeTrue(CpuAllocator.cacheLoaded());
        long slack = 128 * MIB;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            CpuAllocator.CacheStats before = CpuAllocator.cacheStats().orElseThrow();
            // 40 classes of 6-16 MiB, one after another, each freed at once: 440 MiB in all.
            for (int i = 0; i < 40; i++) {
                long bytes = 6 * MIB + i * (MIB / 4);
                manager.zeros(new Shape(bytes / 4)).close();
                CpuAllocator.CacheStats now = CpuAllocator.cacheStats().orElseThrow();
                assertThat(now.cachedBytes()).as("idle bytes after %d tensors", i + 1).isLessThanOrEqualTo(slack);
            }
            CpuAllocator.CacheStats after = CpuAllocator.cacheStats().orElseThrow();
            assertThat(after.evictions()).isGreaterThan(before.evictions());
        }
    }

    /** Released blocks go back to the operating system; tensors made afterwards map fresh ones and compute as before. */
    @Test
    void releaseGivesCachedBlocksBack() {
        assumeTrue(CpuAllocator.cacheLoaded());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            manager.ones(new Shape(4 * MIB)).close(); // 16 MiB, now cached
            CpuAllocator.CacheStats before = CpuAllocator.cacheStats().orElseThrow();
            assertThat(before.cachedBytes()).isGreaterThanOrEqualTo(16 * MIB);
            long released = CpuAllocator.releaseCache();
            CpuAllocator.CacheStats after = CpuAllocator.cacheStats().orElseThrow();
            assertThat(released).isGreaterThanOrEqualTo(16 * MIB);
            assertThat(after.cachedBytes()).isZero();
            assertThat(after.mappedBytes()).isEqualTo(before.mappedBytes() - released);
            try (NDArray again = manager.full(new Shape(4 * MIB), 3f)) {
                assertThat(again.eq(3f).all().getBoolean()).isTrue();
            }
        }
    }
}

/*
 * A block cache for libtorch's CPU tensors, the CPU counterpart of PyTorch's CUDA caching allocator.
 *
 * Why: a training step of the bundled encoder allocates and frees about a gigabyte of activations and gradients in
 * blocks of 3 and 12 MiB, in the same order every step. glibc serves them from 64 MiB arena heaps (after its first
 * large free it stops using mmap for them) and fragments: a process whose live tensors peak at ~720 MiB holds
 * 950-1,050 MiB of resident memory, and more as steps go by until malloc_trim. Giving each block back to the kernel
 * instead (a low mmap threshold) removes the fragmentation but costs ~50 % more step time in page faults.
 * Keeping freed blocks by size class and handing them back on the next request of that class does neither: the
 * resident set stays at the sum over classes of the most blocks live at once, and a step in steady state maps nothing.
 *
 * How: libc10.so's DefaultCPUAllocator calls c10::alloc_cpu and c10::free_cpu through its PLT. This library defines
 * both; dev.adapterloop.engine.CpuKernels loads it with RTLD_GLOBAL before the PyTorch engine loads, so these
 * definitions win over libc10's own (the same mechanism as mkl_vendor_dispatch.c). Blocks under the cache's minimum
 * size go to libc10's original functions, found with dlopen(RTLD_NOLOAD); so does any request the cache cannot map,
 * which lets libc10 report an out-of-memory error as usual.
 *
 * Policy: block sizes are rounded up to eight classes per power of two (at most 12.5 % larger, and pages a tensor
 * never touches are never resident). A miss maps a new block; before it does, cached blocks are unmapped, the least
 * recently freed first, until the cached bytes plus the new block fit in the slack. With fixed shapes, as in training,
 * nothing misses after the first steps and nothing is evicted; with varying shapes the idle memory stays bounded.
 * adapterloop_cpu_cache_release() unmaps every cached block (after a job, or when the service goes idle).
 *
 * Built by src/build/compile-native.sh when a C compiler is present; without it tensors use libc10's allocator.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define CLASSES_PER_DOUBLING_LOG2 3
#define MIN_CLASS_LOG2 16                     /* the smallest class step, 64 KiB */
#define MAX_SIZE_LOG2 40                      /* blocks of a TiB and up are libc10's business */
#define CLASS_COUNT ((MAX_SIZE_LOG2 + 1) << CLASSES_PER_DOUBLING_LOG2)
#define LIVE_BUCKETS 4096
#define C10_ALIGNMENT 64                      /* c10::gAlignment */

typedef struct block {
    void *address;
    size_t size;
    int size_class;
    struct block *next_in_list;               /* the class's free list, or a live-table bucket */
    struct block *older, *newer;              /* every cached block, by the time it was freed */
} block;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static block *free_lists[CLASS_COUNT];
static block *live[LIVE_BUCKETS];
static block *oldest_cached, *newest_cached;
static size_t min_block_bytes = (size_t) 1 << 20;
static size_t slack_bytes = (size_t) 128 << 20;
static int64_t mapped_bytes, cached_bytes, hits, misses, evictions;

static pthread_once_t originals_once = PTHREAD_ONCE_INIT;
static void *(*original_alloc)(size_t);
static void (*original_free)(void *);

static void resolve_originals(void) {
    void *c10 = dlopen("libc10.so", RTLD_NOW | RTLD_NOLOAD);
    if (c10 != NULL) {
        original_alloc = (void *(*)(size_t)) dlsym(c10, "_ZN3c109alloc_cpuEm");
        original_free = (void (*)(void *)) dlsym(c10, "_ZN3c108free_cpuEPv");
    }
}

static void *fallback_alloc(size_t bytes) {
    pthread_once(&originals_once, resolve_originals);
    if (original_alloc != NULL) {
        return original_alloc(bytes);         /* throws c10::Error when out of memory, as without this library */
    }
    void *address = NULL;
    return posix_memalign(&address, C10_ALIGNMENT, bytes) == 0 ? address : NULL;
}

static void fallback_free(void *address) {
    pthread_once(&originals_once, resolve_originals);
    if (original_free != NULL) {
        original_free(address);
    } else {
        free(address);
    }
}

static int log2_floor(size_t value) {
    return 63 - __builtin_clzl(value);
}

/* The class of a request: its size rounded up to 1/8 of the power of two at or below it (64 KiB at least). */
static size_t class_bytes(size_t bytes) {
    int shift = log2_floor(bytes) - CLASSES_PER_DOUBLING_LOG2;
    size_t step = (size_t) 1 << (shift < MIN_CLASS_LOG2 ? MIN_CLASS_LOG2 : shift);
    return (bytes + step - 1) & ~(step - 1);
}

static int class_index(size_t rounded) {
    int top = log2_floor(rounded);
    int shift = top - CLASSES_PER_DOUBLING_LOG2;
    int sub = shift < MIN_CLASS_LOG2 ? (int) (rounded >> MIN_CLASS_LOG2) : (int) (rounded >> shift) - 8;
    return (top << CLASSES_PER_DOUBLING_LOG2) + (sub & 7);
}

static size_t bucket_of(const void *address) {
    return ((uintptr_t) address >> 12) % LIVE_BUCKETS;
}

static void unlink_cached(block *b) {
    if (b->older != NULL) b->older->newer = b->newer; else oldest_cached = b->newer;
    if (b->newer != NULL) b->newer->older = b->older; else newest_cached = b->older;
    b->older = b->newer = NULL;
    cached_bytes -= (int64_t) b->size;
}

static void remove_from_free_list(block *b) {
    block **link = &free_lists[b->size_class];
    while (*link != b) {
        link = &(*link)->next_in_list;
    }
    *link = b->next_in_list;
}

static void unmap(block *b) {
    munmap(b->address, b->size);
    mapped_bytes -= (int64_t) b->size;
    free(b);
}

/* Unmaps cached blocks, oldest first, until at most `keep` bytes stay cached. Call with the lock held. */
static void evict_until(int64_t keep) {
    while (oldest_cached != NULL && cached_bytes > keep) {
        block *b = oldest_cached;
        unlink_cached(b);
        remove_from_free_list(b);
        unmap(b);
        evictions++;
    }
}

void *_ZN3c109alloc_cpuEm(size_t bytes) {
    if (bytes < min_block_bytes || bytes >= ((size_t) 1 << MAX_SIZE_LOG2)) {
        return bytes == 0 ? NULL : fallback_alloc(bytes);
    }
    size_t rounded = class_bytes(bytes);
    int size_class = class_index(rounded);
    pthread_mutex_lock(&lock);
    block *b = free_lists[size_class];
    if (b != NULL) {
        free_lists[size_class] = b->next_in_list;
        unlink_cached(b);
        hits++;
    } else {
        evict_until((int64_t) slack_bytes - (int64_t) rounded);
        void *address = mmap(NULL, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        b = address == MAP_FAILED ? NULL : malloc(sizeof(block));
        if (b == NULL) {
            if (address != MAP_FAILED) munmap(address, rounded);
            pthread_mutex_unlock(&lock);
            return fallback_alloc(bytes);
        }
        b->address = address;
        b->size = rounded;
        b->size_class = size_class;
        b->older = b->newer = NULL;
        mapped_bytes += (int64_t) rounded;
        misses++;
    }
    size_t bucket = bucket_of(b->address);
    b->next_in_list = live[bucket];
    live[bucket] = b;
    pthread_mutex_unlock(&lock);
    return b->address;
}

void _ZN3c108free_cpuEPv(void *address) {
    if (address == NULL) {
        return;
    }
    pthread_mutex_lock(&lock);
    block **link = &live[bucket_of(address)];
    while (*link != NULL && (*link)->address != address) {
        link = &(*link)->next_in_list;
    }
    block *b = *link;
    if (b == NULL) {
        pthread_mutex_unlock(&lock);
        fallback_free(address);               /* a small block, or one from before this library was loaded */
        return;
    }
    *link = b->next_in_list;
    b->next_in_list = free_lists[b->size_class];
    free_lists[b->size_class] = b;
    b->older = newest_cached;
    b->newer = NULL;
    if (newest_cached != NULL) newest_cached->newer = b; else oldest_cached = b;
    newest_cached = b;
    cached_bytes += (int64_t) b->size;
    pthread_mutex_unlock(&lock);
}

/* Sets the smallest block the cache takes and the bytes it may keep idle; call before the first tensor. */
void adapterloop_cpu_cache_configure(int64_t min_bytes, int64_t slack) {
    pthread_mutex_lock(&lock);
    min_block_bytes = min_bytes < 1 ? 1 : (size_t) min_bytes;
    slack_bytes = slack < 0 ? 0 : (size_t) slack;
    pthread_mutex_unlock(&lock);
}

/* Unmaps every cached (free) block; returns the bytes given back. */
int64_t adapterloop_cpu_cache_release(void) {
    pthread_mutex_lock(&lock);
    int64_t before = cached_bytes;
    evict_until(0);
    pthread_mutex_unlock(&lock);
    return before;
}

/* Fills out[0..5] with mapped bytes, cached bytes, hits, misses, evictions and whether libc10's originals resolved. */
void adapterloop_cpu_cache_stats(int64_t *out) {
    pthread_mutex_lock(&lock);
    out[0] = mapped_bytes;
    out[1] = cached_bytes;
    out[2] = hits;
    out[3] = misses;
    out[4] = evictions;
    out[5] = original_alloc != NULL && original_free != NULL;
    pthread_mutex_unlock(&lock);
}

/*
 * Stand-ins for libc10_cuda.so and libtorch_cuda.so in the PyTorch stand-in image (Containerfile.pytorch), where
 * there is no CUDA: DJL's cu128 JNI library names both as NEEDED and refers to one data symbol of libc10_cuda,
 * c10::cuda::CUDACachingAllocator::allocator (an atomic pointer), which must exist for the library to load at all.
 * Its CUDA functions stay unresolved: they bind lazily, on first call, and nothing calls them when no GPU is seen.
 * device_count() answers 0, as CUDA's own does on a machine without a GPU.
 */
void *_ZN3c104cuda20CUDACachingAllocator9allocatorE = 0;

signed char _ZN3c104cuda12device_countEv(void) {
    return 0;
}

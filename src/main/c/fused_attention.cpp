// Fused scaled-dot-product attention for DJL's PyTorch engine.
//
// Why: DJL 0.35.1 exposes no fused attention, so BERT's attention runs as matmul, mask, softmax and matmul, with a copy
// of q, k, v and the context to and from the head-major layout on each side (measured on the bundled encoder at one
// thread: ~90 ms of a 0.55 s LoRA step, and 60 MiB of peak memory for the saved probabilities). libtorch 2.7.1 has the
// operator, scaled_dot_product_attention, with its autograd formula; it is only missing from DJL's JNI. This file calls
// it through libtorch's exported entry point, at::_ops::scaled_dot_product_attention::call, the same function
// torch::scaled_dot_product_attention calls, so the dispatcher picks the kernel (flash attention on CPU when there is
// no dropout) and autograd records the node exactly as it would for DJL's own operators.
//
// How, without libtorch's headers (DJL ships none): the entry point is looked up by its mangled name, which encodes
// the whole parameter list, so a libtorch whose signature differs has no such symbol and the caller falls back to the
// unfused path. The types it takes are restated by layout: at::Tensor is one intrusive pointer to its TensorImpl, a
// DJL array handle is a heap-allocated at::Tensor (DJL frees it with delete), std::optional<T> is T followed by a
// flag. A class with a non-trivial destructor (at::Tensor) is returned through a caller-provided slot passed as a
// hidden first argument: that slot is the explicit first parameter below. Every C++ exception is caught here, so an
// error in libtorch becomes a message for Java, never a process abort.
//
// Java side: dev.adapterloop.model.FusedAttention, which also checks the result against the unfused path once per
// process before using it.
#include <dlfcn.h>

#include <cstdio>
#include <exception>
#include <new>

namespace {

struct Tensor {
    void* impl;
};

struct OptionalTensor {
    void* impl;
    bool engaged;
};

struct OptionalDouble {
    double value;
    bool engaged;
};

// at::_ops::scaled_dot_product_attention::call(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa)
using AttentionCall = void* (*)(Tensor* result, const Tensor* query, const Tensor* key, const Tensor* value,
                                const OptionalTensor* mask, double dropout, bool causal, OptionalDouble scale,
                                bool grouped_query);

constexpr const char* kAttentionSymbol =
        "_ZN2at4_ops28scaled_dot_product_attention4callERKNS_6TensorES4_S4_RKSt8optionalIS2_EdbS5_IdEb";

AttentionCall attention_call = nullptr;

void describe(char* error, int capacity, const char* message) {
    if (error != nullptr && capacity > 0) {
        std::snprintf(error, static_cast<size_t>(capacity), "%s", message);
    }
}

}  // namespace

// Finds the operator in the libtorch the engine has loaded. 1 when ready; 0 with the reason in error.
extern "C" __attribute__((visibility("default"))) int adapterloop_attention_init(char* error, int capacity) {
    void* torch = dlopen("libtorch_cpu.so", RTLD_NOW | RTLD_NOLOAD);
    if (torch == nullptr) {
        describe(error, capacity, "libtorch_cpu.so is not loaded in this process");
        return 0;
    }
    void* symbol = dlsym(torch, kAttentionSymbol);
    if (symbol == nullptr) {
        const char* reason = dlerror();
        describe(error, capacity, reason != nullptr ? reason : "scaled_dot_product_attention is not exported");
        return 0;
    }
    attention_call = reinterpret_cast<AttentionCall>(symbol);
    return 1;
}

// softmax(q·kᵀ·scale + mask)·v over (batch, heads, seq, head_size) arrays, without dropout. Arguments and the result
// are DJL array handles; mask may be null. Returns a new handle the caller owns, or null with the reason in error.
extern "C" __attribute__((visibility("default"))) void* adapterloop_attention(void* query, void* key, void* value,
                                                                             void* mask, double scale, char* error,
                                                                             int capacity) {
    if (attention_call == nullptr) {
        describe(error, capacity, "adapterloop_attention_init has not succeeded");
        return nullptr;
    }
    try {
        Tensor result{nullptr};
        OptionalTensor optional_mask{mask != nullptr ? static_cast<Tensor*>(mask)->impl : nullptr, mask != nullptr};
        attention_call(&result, static_cast<const Tensor*>(query), static_cast<const Tensor*>(key),
                       static_cast<const Tensor*>(value), &optional_mask, 0.0, false, OptionalDouble{scale, true},
                       false);
        // The result's reference moves into the handle; DJL's close deletes it, which releases the reference.
        return new Tensor(result);
    } catch (const std::exception& e) {
        describe(error, capacity, e.what());
    } catch (...) {
        describe(error, capacity, "scaled_dot_product_attention failed with a non-standard exception");
    }
    return nullptr;
}

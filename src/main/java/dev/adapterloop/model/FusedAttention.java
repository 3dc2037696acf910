package dev.adapterloop.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.adapterloop.nativelib.BundledNativeLibrary;
import dev.adapterloop.nativelib.NativeHelpers;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.util.Optional;

/**
 * libtorch's {@code scaled_dot_product_attention}, called through {@code src/main/c/fused_attention.cpp} (see there
 * for how and why). Set up on first use, once the engine is loaded; before it is used, its result is compared once
 * with the unfused computation, and any difference, like a missing library or symbol, leaves the process on the
 * unfused path with a warning.
 */
public final class FusedAttention {

    static final String RESOURCE = "adapterloop/native/linux-x86-64/libadapterloop-fused-attention.so";
    static final String HELPER = "the fused-attention helper";
    private static final int ERROR_CAPACITY = 4096;
    /** fp32 flash attention against matmul-softmax-matmul on a small problem: differences are ~1e-7. */
    private static final float SELF_CHECK_TOLERANCE = 1e-4f;
    /** One native buffer per thread for libtorch's message, instead of an allocation on every layer's forward. */
    private static final ThreadLocal<Memory> ERROR_BUFFER = ThreadLocal.withInitial(() -> new Memory(ERROR_CAPACITY));

    /** Held for the life of the process: JNA closes a library whose {@link NativeLibrary} is collected. */
    private static NativeLibrary library;
    private static Function attention;
    private static String unavailable;
    private static boolean initialised;

    private FusedAttention() {
    }

    /**
     * Whether {@link #attend} takes these arrays: the configured kernel is {@link AttentionKernel#FUSED}, the
     * helper is set up, and all of them are PyTorch fp32 arrays on CPU.
     */
    public static boolean appliesTo(NDArray q, NDArray k, NDArray v, NDArray maskBias) {
        if (AttentionKernel.configured() != AttentionKernel.FUSED || !(q instanceof PtNDArray)) {
            return false;
        }
        for (NDArray array : new NDArray[] {q, k, v, maskBias}) {
            if (array.getDataType() != DataType.FLOAT32 || !array.getDevice().equals(Device.cpu())) {
                return false;
            }
        }
        return ready();
    }

    /** Why fused attention is not available in this process, empty when it is; sets the helper up (engine loaded). */
    static synchronized Optional<String> unavailableReason() {
        ready();
        return Optional.ofNullable(unavailable);
    }

    /**
     * {@code softmax(q·kᵀ·scale + maskBias)·v}, as one differentiable operator.
     *
     * @param q (batch, heads, seq, head size), any strides with the last one 1; likewise {@code k} and {@code v}
     * @param maskBias added to the scores, broadcast to (batch, heads, seq, seq)
     * @return (batch, heads, seq, head size), owned by {@code q}'s manager
     * @throws EngineException with libtorch's message when it rejects the arguments
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray maskBias, double scale) {
        Memory error = ERROR_BUFFER.get();
        error.setByte(0, (byte) 0);
        long handle = attention.invokeLong(new Object[] {handle(q), handle(k), handle(v), handle(maskBias), scale,
                error, ERROR_CAPACITY});
        if (handle == 0) {
            throw new EngineException("fused attention failed: " + firstParagraph(error.getString(0)));
        }
        return new PtNDArray((PtNDManager) q.getManager(), handle);
    }

    private static Pointer handle(NDArray array) {
        return new Pointer(((PtNDArray) array).getHandle());
    }

    /** c10::Error's message, without the C++ stack trace libtorch appends. */
    private static String firstParagraph(String message) {
        int trace = message.indexOf("\nException raised from");
        return (trace < 0 ? message : message.substring(0, trace)).strip();
    }

    private static synchronized boolean ready() {
        if (!initialised) {
            initialised = true;
            unavailable = setUp();
            if (unavailable != null) {
                Log.warnf("attention runs unfused: %s", unavailable);
            }
        }
        return unavailable == null;
    }

    /** Null when the fused path is ready, else why not. */
    private static String setUp() {
        if (!BundledNativeLibrary.supportedPlatform()) {
            return "the fused-attention helper is built for Linux x86-64 only";
        }
        String libtorchVersion;
        try {
            // Loads libtorch, which the helper looks up (a no-op once loaded); DJL reports its version as "2.7.1".
            libtorchVersion = Engine.getEngine("PyTorch").getVersion();
        } catch (RuntimeException e) {
            return "the PyTorch engine cannot be loaded (" + e.getMessage() + ")";
        }
        // The helper calls libtorch's operator by its mangled name and signature: another libtorch must not get it.
        Optional<String> off = NativeHelpers.offBecause(NativeHelpers.configured(), HELPER, libtorchVersion);
        if (off.isPresent()) {
            return off.get();
        }
        try {
            Optional<NativeLibrary> loaded = BundledNativeLibrary.loadGlobal(RESOURCE);
            if (loaded.isEmpty()) {
                return "the fused-attention helper is not in this build (it was built without a C++ compiler)";
            }
            library = loaded.get();
        } catch (IOException | RuntimeException e) {
            return "the fused-attention helper cannot be loaded (" + e + ")";
        }
        Memory error = ERROR_BUFFER.get();
        error.setByte(0, (byte) 0);
        if (library.getFunction("adapterloop_attention_init").invokeInt(new Object[] {error, ERROR_CAPACITY}) == 0) {
            return "this libtorch has no matching scaled_dot_product_attention (" + error.getString(0) + ")";
        }
        attention = library.getFunction("adapterloop_attention");
        try {
            float difference = selfCheck();
            return difference <= SELF_CHECK_TOLERANCE ? null
                    : "its result differs from the unfused computation by " + difference;
        } catch (RuntimeException e) {
            return "its self-check failed: " + e.getMessage();
        }
    }

    /** The largest difference from the unfused computation on a small masked problem. */
    private static float selfCheck() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            int batch = 2;
            int heads = 3;
            int seq = 7;
            int headSize = 4;
            NDArray qkv = manager.randomNormal(new Shape(3, batch, seq, heads * headSize));
            NDArray maskBias = manager.zeros(new Shape(batch, 1, 1, seq));
            maskBias.set(new NDIndex("1, :, :, 5:"), -10000f);
            double scale = 1.0 / Math.sqrt(headSize);
            Shape split = new Shape(batch, seq, heads, headSize);
            NDArray fused = attend(qkv.get(0).reshape(split).transpose(0, 2, 1, 3),
                    qkv.get(1).reshape(split).transpose(0, 2, 1, 3), qkv.get(2).reshape(split).transpose(0, 2, 1, 3),
                    maskBias, scale);
            NDArray unfused = ScaledDotProductAttention.unfused(qkv.get(0).duplicate(), qkv.get(1), qkv.get(2),
                    maskBias, heads, 0f, false);
            return fused.transpose(0, 2, 1, 3).reshape(batch, seq, heads * headSize).sub(unfused).abs().max()
                    .getFloat();
        }
    }
}

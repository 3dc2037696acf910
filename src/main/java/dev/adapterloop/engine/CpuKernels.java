package dev.adapterloop.engine;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import dev.adapterloop.nativelib.BundledNativeLibrary;
import dev.adapterloop.nativelib.NativeHelpers;
import dev.adapterloop.nativelib.ProcessSetting;
import io.quarkus.logging.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How libtorch and MKL choose their CPU kernels in this process. Both choose once, when their first kernel runs, so
 * {@link #apply()} must run before the PyTorch engine loads: first thing in {@code main} (the launcher and the
 * benchmark workers do it) or when a test JVM starts.
 *
 * <p>Every mode but {@link #LIBRARY_DEFAULT} loads {@code src/main/c/mkl_vendor_dispatch.c}, which lets MKL pick its
 * GEMM kernels by the CPU's instruction sets rather than its vendor: on AMD that is the difference between MKL's
 * generic AVX2 path and its AVX-512 one, about 2× on a training step (BENCHMARKS.md). Chosen with the system property
 * {@value #PROPERTY} or the environment variable {@value #ENVIRONMENT}; variables the libraries read that are already
 * set ({@code MKL_CBWR}, {@code ATEN_CPU_CAPABILITY}) are left alone.
 */
public enum CpuKernels {

    /**
     * The best kernels this CPU has. MKL runs in its reproducible mode for this CPU ({@code MKL_CBWR=AUTO}), so the
     * same seed, data and configuration give the same adapter bytes run after run and process after process on one
     * host; hosts with different instruction sets may differ in the last bits.
     */
    FAST(Map.of("MKL_CBWR", "AUTO")),

    /**
     * AVX2 kernels in ATen and MKL's AVX2 reproducible branch: the same adapter bytes on every x86-64 host with AVX2,
     * Intel or AMD (both run MKL's Intel code once the vendor check is answered), at about 1.7× FAST's step time on
     * an AVX-512 host.
     */
    PORTABLE(Map.of("ATEN_CPU_CAPABILITY", "avx2", "MKL_CBWR", "AVX2")),

    /** Leaves both libraries to themselves, MKL's vendor check included: on AMD, MKL's generic code path. */
    LIBRARY_DEFAULT(Map.of());

    public static final String PROPERTY = "adapterloop.cpu-kernels";
    public static final String ENVIRONMENT = "ADAPTERLOOP_CPU_KERNELS";
    /**
     * Every variable a mode may set. A child process inherits this process's native environment, so whoever starts
     * one in a chosen mode removes these first.
     */
    public static final Set<String> LIBRARY_VARIABLES = Set.of("ATEN_CPU_CAPABILITY", "MKL_CBWR");
    static final String DISPATCH_RESOURCE = "adapterloop/native/linux-x86-64/libadapterloop-mkl-dispatch.so";
    static final String DISPATCH_HELPER = "the MKL vendor dispatch shim";
    static final String WITHOUT_DISPATCH =
            "on non-Intel CPUs MKL stays on its generic code path, about half the GEMM speed of its AVX-512 one";

    private static final int MKL_CBWR_BRANCH = 1;
    private static final int MKL_CBWR_BRANCH_OFF = 1;
    private static final int MKL_CBWR_AUTO = 2;
    private static final int RTLD_LAZY = 0x1;
    /** MKL's conditional-numerical-reproducibility branches, as numbered in {@code mkl_service.h}. */
    private static final Map<Integer, String> MKL_BRANCHES = Map.ofEntries(Map.entry(1, "BRANCH_OFF"),
            Map.entry(2, "AUTO"), Map.entry(3, "COMPATIBLE"), Map.entry(4, "SSE2"), Map.entry(6, "SSSE3"),
            Map.entry(7, "SSE4_1"), Map.entry(8, "SSE4_2"), Map.entry(9, "AVX"), Map.entry(10, "AVX2"),
            Map.entry(11, "AVX512_MIC"), Map.entry(12, "AVX512"), Map.entry(13, "AVX512_MIC_E1"),
            Map.entry(14, "AVX512_E1"));

    private static volatile CpuKernels applied;
    /** Held for the life of the process: JNA closes a library whose {@link NativeLibrary} is collected. */
    private static NativeLibrary dispatch;

    private final Map<String, String> environment;

    CpuKernels(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The mode the property or the environment names, {@link #FAST} when neither does. */
    public static CpuKernels configured() {
        return ProcessSetting.configured(CpuKernels.class, PROPERTY, ENVIRONMENT, FAST);
    }

    /** Parses {@code fast}, {@code portable} or {@code library-default} (any case). */
    public static CpuKernels parse(String value) {
        return ProcessSetting.parse(CpuKernels.class, PROPERTY, value);
    }

    /** Applies the {@link #configured()} mode once per process; later calls return the mode applied first. */
    public static synchronized CpuKernels apply() {
        if (applied == null) {
            CpuKernels mode = configured();
            mode.environment.forEach(CpuKernels::setenvIfAbsent);
            if (mode != LIBRARY_DEFAULT) {
                loadVendorDispatch();
            }
            applied = mode;
        }
        return applied;
    }

    /** Whether MKL's vendor check is answered by this project's library in this process. */
    public static synchronized boolean vendorDispatchLoaded() {
        return dispatch != null;
    }

    /**
     * The code path MKL runs on: the branch {@code MKL_CBWR} forces ({@code AVX2} in {@link #PORTABLE}), else the one
     * it chose for this CPU ({@code AVX512_E1}, ...; {@code AUTO} where it will not name one, as on AMD without the
     * dispatch library). Read from the loaded libtorch: call it once the engine has loaded; empty where libtorch has
     * no MKL (ARM builds) or cannot be found.
     */
    public static Optional<String> mklCodePath() {
        try {
            Path library = Path.of(LibUtils.getLibtorchPath(), "libtorch_cpu.so");
            if (!Files.exists(library)) {
                return Optional.empty();
            }
            // RTLD_LAZY alone: JNA's default adds RTLD_GLOBAL, which would let libtorch's many exported symbols
            // (protobuf, ONNX) bind native libraries loaded after it.
            NativeLibrary libtorch = NativeLibrary.getInstance(library.toString(),
                    Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY));
            int code = libtorch.getFunction("mkl_serv_cbwr_get").invokeInt(new Object[] {MKL_CBWR_BRANCH});
            if (code == MKL_CBWR_BRANCH_OFF || code == MKL_CBWR_AUTO) {
                code = libtorch.getFunction("mkl_serv_cbwr_get_auto_branch").invokeInt(new Object[0]);
            }
            return Optional.of(MKL_BRANCHES.getOrDefault(code, "branch " + code));
        } catch (RuntimeException | LinkageError e) {
            // LinkageError, not only UnsatisfiedLinkError: in the native executable JNA's Native class cannot
            // initialise (NoClassDefFoundError, docs/native.md), and this only describes the CPU for the log.
            return Optional.empty();
        }
    }

    /** One line for the start-up log: the mode and what it made of this CPU. */
    public static String describe() {
        CpuKernels mode = applied == null ? configured() : applied;
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-') + " CPU kernels (MKL code path "
                + mklCodePath().orElse("unknown") + (vendorDispatchLoaded() ? ", vendor dispatch loaded)" : ")");
    }

    private static void loadVendorDispatch() {
        if (!BundledNativeLibrary.supportedPlatform()
                || !NativeHelpers.mayLoadBeforeEngine(DISPATCH_HELPER, WITHOUT_DISPATCH)) {
            return;
        }
        dispatch = BundledNativeLibrary.loadGlobalOrWarn(DISPATCH_RESOURCE, DISPATCH_HELPER, WITHOUT_DISPATCH);
    }

    private static void setenvIfAbsent(String name, String value) {
        if (System.getenv(name) != null) {
            return;
        }
        try {
            // overwrite = 0: a value set natively since the JVM started (its copy of the environment) wins too.
            NativeLibrary.getInstance("c").getFunction("setenv").invokeInt(new Object[] {name, value, 0});
        } catch (RuntimeException | LinkageError e) { // LinkageError: JNA absent (native executable)
            Log.warnf("cannot set %s=%s (%s): the CPU kernels are left to the libraries", name, value, e.toString());
        }
    }
}

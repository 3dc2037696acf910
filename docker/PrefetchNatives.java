/*
 * Build-time helper of the container images (not part of the application): loads DJL's native libraries once so
 * that DJL extracts them from the jars in the application's lib/ into DJL_CACHE_DIR. The image then ships that
 * cache read-only, and the service neither writes nor downloads a native library when it starts.
 *
 * Usage: java -Dai.djl.offline=true -cp <classes>:<app>/lib/main/* PrefetchNatives pytorch tokenizers
 */
import ai.djl.engine.Engine;

public final class PrefetchNatives {

    private PrefetchNatives() {
    }

    public static void main(String[] args) {
        if (!Boolean.getBoolean("ai.djl.offline")) {
            throw new IllegalStateException("run with -Dai.djl.offline=true: nothing may be downloaded");
        }
        for (String what : args) {
            switch (what) {
                case "pytorch" -> {
                    Engine engine = Engine.getEngine("PyTorch");
                    System.out.println("PyTorch " + engine.getVersion() + " loaded, GPUs visible: "
                            + engine.getGpuCount());
                }
                case "tokenizers" -> {
                    ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
                    System.out.println("tokenizers native library loaded");
                }
                default -> throw new IllegalArgumentException("unknown native library: " + what
                        + " (expected pytorch or tokenizers)");
            }
        }
    }
}

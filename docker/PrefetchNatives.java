/*
 * Build-time helper of the container images (not part of the application).
 *
 *   PrefetchNatives pytorch tokenizers   loads DJL's native libraries once, so that DJL extracts them from the jars in
 *                                        the application's lib/ into DJL_CACHE_DIR. The image ships that cache
 *                                        read-only, and the service neither writes nor downloads a native library
 *                                        when it starts.
 *   PrefetchNatives --strip JAR DIR      rewrites JAR without the native libraries that DIR (the extracted cache
 *                                        folder) holds with the same size, so that an image ships libtorch once:
 *                                        DJL reads only the jar's native/lib/pytorch.properties to find the cache.
 *
 * Usage: java -Dai.djl.offline=true -cp <classes>:<app>/lib/main/* PrefetchNatives pytorch tokenizers
 */
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

public final class PrefetchNatives {

    private PrefetchNatives() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--strip")) {
            strip(Path.of(args[1]), Path.of(args[2]));
            return;
        }
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

    /** Copies {@code jar} without the entries whose file name and size match a file in {@code cached}. */
    static void strip(Path jar, Path cached) throws IOException {
        Path stripped = jar.resolveSibling(jar.getFileName() + ".stripped");
        List<String> removed = new ArrayList<>();
        try (ZipFile in = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(stripped))) {
            for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                Path copy = cached.resolve(name.substring(name.lastIndexOf('/') + 1));
                if (!entry.isDirectory() && Files.isRegularFile(copy) && Files.size(copy) == entry.getSize()) {
                    removed.add(name);
                    continue;
                }
                out.putNextEntry(new ZipEntry(name));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        if (removed.isEmpty()) {
            Files.delete(stripped);
            throw new IllegalStateException(jar + ": no entry is in " + cached + ": nothing to strip");
        }
        Files.move(stripped, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println(jar.getFileName() + ": removed " + removed + " (in " + cached + ")");
    }
}

package dev.adapterloop.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize} (kubectl from {@code $KUBECTL}, else the PATH; Debian's
 * {@code kubernetes-client} package, kubectl 1.20 with kustomize v2.0.3, is the oldest it is written for).
 */
final class Kustomize {

    private Kustomize() {
    }

    static String render(Path dir) {
        String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
        ProcessBuilder builder = new ProcessBuilder(kubectl, "kustomize", dir.toString());
        try {
            Process process = builder.start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String out = readAll(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "): "
                        + err.join());
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run '" + kubectl + " kustomize' (" + e.getMessage() + "): install "
                    + "kubectl (apt-get install kubernetes-client) or set KUBECTL to its path", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package dev.adapterloop.testing;

import ai.djl.Device;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.onnx.OnnxBertImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The bundled all-MiniLM-L6-v2, imported once per test JVM into {@code target/test-model} (Hugging Face layout), and
 * the original ONNX file for reference runs.
 */
public final class BundledModel {

    private static final Path ROOT = Path.of("target", "test-model");
    private static Path folder;
    private static Path onnx;
    private static PretrainedModel encoder;

    private BundledModel() {
    }

    public static synchronized Path folder() {
        if (folder == null) {
            try {
                Path dir = ROOT.resolve("all-minilm-l6-v2");
                if (!Files.exists(dir.resolve("config.json"))) {
                    Path partial = Files.createDirectories(ROOT.resolve("partial"));
                    new OnnxBertImporter().writeBundledMiniLm(partial);
                    Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
                }
                folder = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }

    public static synchronized Path onnxFile() {
        if (onnx == null) {
            try (InputStream in = BundledModel.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
                Path file = Files.createDirectories(ROOT).resolve("all-minilm-l6-v2.onnx");
                if (!Files.exists(file)) {
                    Files.copy(in, file);
                }
                onnx = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return onnx;
    }

    /** One loaded encoder shared by the tests of this JVM (it is read-only unless a test installs adapters). */
    public static synchronized PretrainedModel encoder() {
        if (encoder == null) {
            try {
                encoder = PretrainedModel.load(folder(), Device.cpu());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return encoder;
    }
}

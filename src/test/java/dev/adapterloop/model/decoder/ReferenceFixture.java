package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.safetensors.DType;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * One folder of {@code src/test/resources/reference-models/}: the independent oracle for decoders (tiny random models
 * in exact Hugging Face layout and the outputs a correct implementation produces; its README gives every
 * convention). The files are copied there unchanged from the shared oracle; {@code ReferenceFilesTest} checks them
 * against its SHA256SUMS.
 */
public record ReferenceFixture(String name, Path folder, DecoderConfig config) {

    public static final Path ROOT = Path.of("src/test/resources/reference-models");

    public static ReferenceFixture of(String name) throws IOException {
        Path folder = ROOT.resolve(name);
        return new ReferenceFixture(name, folder,
                (DecoderConfig) PretrainedModel.readConfig(folder.resolve(PretrainedModel.CONFIG)));
    }

    public DecoderModel load(NDManager manager) throws IOException {
        return DecoderFamily.loadWeights(folder, config, manager);
    }

    public Map<String, Tensor> expected() throws IOException {
        return SafetensorsFile.read(folder.resolve("expected.safetensors"));
    }

    Map<String, Tensor> expectedLora() throws IOException {
        return SafetensorsFile.read(folder.resolve("expected_lora.safetensors"));
    }

    public static NDArray array(Tensor tensor, NDManager manager) {
        if (tensor.dtype() == DType.I64) {
            LongBuffer values = tensor.data().asLongBuffer();
            long[] out = new long[values.remaining()];
            values.get(out);
            return manager.create(out, new Shape(tensor.shape()));
        }
        return manager.create(tensor.toFloats(), new Shape(tensor.shape()));
    }

    static long[][] rows(Tensor tensor) {
        LongBuffer values = tensor.data().asLongBuffer();
        int rows = (int) tensor.shape()[0];
        int cols = (int) tensor.shape()[1];
        long[][] out = new long[rows][cols];
        for (int r = 0; r < rows; r++) {
            values.get(out[r]);
        }
        return out;
    }

    /** max |a − b| over the positions whose mask is 1 (the oracle's pad-position logits have no meaning). */
    public static double maxDiffAtRealPositions(NDArray actual, NDArray expected, NDArray mask) {
        NDArray real = mask.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        while (real.getShape().dimension() < actual.getShape().dimension()) {
            real = real.expandDims(-1);
        }
        return actual.sub(expected).abs().mul(real).max().getFloat();
    }
}

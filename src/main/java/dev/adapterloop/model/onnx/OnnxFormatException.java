package dev.adapterloop.model.onnx;

import java.io.IOException;

/**
 * An ONNX model is truncated, corrupt, or not something this importer understands (external data, non-fp32 weights,
 * a graph that is not a BERT export). Checked, like the {@link IOException} it extends: it comes from bytes on disk.
 */
public class OnnxFormatException extends IOException {

    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

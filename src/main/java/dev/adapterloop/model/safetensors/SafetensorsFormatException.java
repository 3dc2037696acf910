package dev.adapterloop.model.safetensors;

import java.io.IOException;

/**
 * A safetensors file is corrupt, hostile or uses something this reader does not support. Checked, like the
 * {@link IOException} it extends, because it always comes from reading bytes someone else wrote.
 */
public class SafetensorsFormatException extends IOException {

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

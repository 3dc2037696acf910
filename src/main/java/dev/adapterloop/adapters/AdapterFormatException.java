package dev.adapterloop.adapters;

import java.io.IOException;

/**
 * A stored adapter or merged model is malformed, inconsistent with itself, or does not belong to the base model it is
 * loaded onto. The message names the file and the offending field or tensor. Checked, like the {@link IOException} it
 * extends, because it always comes from reading files someone else wrote.
 */
public class AdapterFormatException extends IOException {

    public AdapterFormatException(String message) {
        super(message);
    }

    public AdapterFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

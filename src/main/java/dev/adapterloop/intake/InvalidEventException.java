package dev.adapterloop.intake;

/** An incoming event that can never be processed as it is: it goes to the dead-letter topic with this message. */
public class InvalidEventException extends Exception {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.adapterloop.intake;

/** A labeled-data event dead-lettered because the process died working on it too often ({@link CrashLoopGuard}). */
public class CrashLoopException extends RuntimeException {

    public CrashLoopException(String message) {
        super(message);
    }
}

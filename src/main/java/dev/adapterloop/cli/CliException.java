package dev.adapterloop.cli;

/** A failure a command reports in one line with a chosen exit code ({@link ExitCodes}); no stack trace. */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException notFound(String message) {
        return new CliException(ExitCodes.NOT_FOUND, message);
    }

    static CliException badInput(String message) {
        return new CliException(ExitCodes.BAD_INPUT, message);
    }

    static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}

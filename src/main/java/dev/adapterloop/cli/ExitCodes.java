package dev.adapterloop.cli;

import dev.adapterloop.adapters.AdapterFormatException;
import dev.adapterloop.dataset.DatasetFormatException;
import dev.adapterloop.model.onnx.OnnxFormatException;
import dev.adapterloop.registry.IncompleteVersionException;
import dev.adapterloop.registry.InvalidNameException;
import dev.adapterloop.registry.ObjectStoreException;
import dev.adapterloop.training.BadDataException;
import dev.adapterloop.training.FailureKind;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * The exit codes of every command (docs/cli.md lists them): scripts and Kubernetes Jobs branch on them, so each names
 * a kind of failure an operator acts on differently.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** The work itself failed: training diverged, ran out of memory, a bug. Retrying may help. */
    public static final int FAILED = 1;
    /** The command line is wrong (picocli's own code for parse errors). Fix the command. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    /** A task, version, alias, dataset key, base model or local file that does not exist. */
    public static final int NOT_FOUND = 3;
    /** Input that cannot be used: malformed JSONL (with its line), labels the task lacks, a corrupt model file. */
    public static final int BAD_INPUT = 4;
    /** The bucket could not be reached, even after retries. Retry later. */
    public static final int STORAGE_UNAVAILABLE = 5;
    /** A compare-and-set lost: the aliases moved since the expected generation, or the object exists already. */
    public static final int CONFLICT = 6;

    private ExitCodes() {
    }

    /** The code for a failure that escaped a command. */
    static int of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CliException cli) {
                return cli.exitCode();
            }
            if (t instanceof CommandLine.ParameterException || t instanceof InvalidNameException) {
                return USAGE;
            }
            if (t instanceof IncompleteVersionException || t instanceof NoSuchFileException) {
                return NOT_FOUND;
            }
            if (t instanceof DatasetFormatException || t instanceof BadDataException
                    || t instanceof OnnxFormatException || t instanceof AdapterFormatException) {
                return BAD_INPUT;
            }
            if (t instanceof ObjectStoreException store) {
                return store.isRetriable() ? STORAGE_UNAVAILABLE : FAILED;
            }
        }
        return FAILED;
    }

    /** The code for a training job that ran and failed. */
    static int of(FailureKind kind) {
        return switch (kind) {
            case BAD_DATA -> BAD_INPUT;
            case STORAGE_UNAVAILABLE -> STORAGE_UNAVAILABLE;
            default -> FAILED;
        };
    }
}

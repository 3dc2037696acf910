package dev.adapterloop.training;

/** The job's data cannot be trained on: changed since intake, no usable example, labels the task does not know. */
public class BadDataException extends TrainingFailedException {

    public BadDataException(String message) {
        super(message);
    }
}

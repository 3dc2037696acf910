package dev.adapterloop.adapters;

/**
 * A stored adapter is well-formed but was built for another configuration than the model it should be loaded into
 * (another method, rank, alpha, placement, targets, labels or base model), so continuing training from it would not
 * continue the same function. {@link #field()} names the first field that differs, in {@code adapter_config.json}'s
 * spelling ({@code method}, {@code r}, {@code labels}, {@code base_model_fingerprint}, ...). A training job that gets
 * this from {@link WarmStart#load} starts cold and says why.
 */
public class IncompatibleAdapterException extends AdapterFormatException {

    private final String field;
    private final String stored;
    private final String current;

    public IncompatibleAdapterException(String source, String field, Object stored, Object current) {
        super(source + ": cannot warm-start from this adapter: " + field + " is " + stored + " in the stored adapter"
                + " but " + current + " in the model being trained");
        this.field = field;
        this.stored = String.valueOf(stored);
        this.current = String.valueOf(current);
    }

    /** The {@code adapter_config.json} field that differs, e.g. {@code r} or {@code labels}. */
    public String field() {
        return field;
    }

    /** The field's value in the stored adapter. */
    public String storedValue() {
        return stored;
    }

    /** The field's value for the model being trained (the task's current configuration). */
    public String currentValue() {
        return current;
    }
}

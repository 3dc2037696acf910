package dev.adapterloop.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.model.ChatFormat;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.ResidentTensors;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizedText;
import dev.adapterloop.model.decoder.TextGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One loaded adapter version, ready to answer: its adapters and head over a base model, and a reference count. In
 * {@code shared} mode the base is one loaded copy for every version on it ({@link SharedBases}) and the version's rows
 * are routed through its adapters; in {@code merged} and {@code unmerged} mode the version has an encoder of its own. Whoever holds it (a serving slot, a request in
 * flight) holds one reference; the last {@link #release()} closes the model, so a swap never closes a model under a
 * request. {@link #tryAcquire()} fails once the count has reached zero: the caller then reads the slots again.
 */
public final class ServedModel {

    private static final Logger LOG = Logger.getLogger(ServedModel.class);

    /** One text's class probabilities, in label order. */
    public record Scores(List<String> labels, float[] probabilities) {
        public int best() {
            int best = 0;
            for (int i = 1; i < probabilities.length; i++) {
                if (probabilities[i] > probabilities[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    private final String task;
    private final String version;
    private final String mode;
    private final List<String> labels;
    private final PretrainedModel encoder;
    private final Function<NDList, NDArray> logits;
    private final AutoCloseable classifier;
    private final TextGenerator generator;
    private final ChatFormat chat;
    private final AutoCloseable base;
    private final Passes passes;
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long residentBytes = -1;

    /**
     * @param logits     (ids, mask, token types) to (batch, labels) logits, in inference mode
     * @param classifier closed before the encoder when the last reference goes
     */
    public ServedModel(String task, String version, String mode, List<String> labels, PretrainedModel encoder,
            Function<NDList, NDArray> logits, AutoCloseable classifier) {
        this(task, version, mode, labels, encoder, logits, classifier, null, null, encoder::close, Passes.DIRECT);
    }

    /**
     * A classification version on a base that other versions share: {@code logits} routes its rows through its own
     * adapters; when the last reference goes, {@code classifier} is closed, then {@code baseLease} released (the
     * base stays loaded for the other versions on it).
     */
    static ServedModel shared(String task, String version, AdaptedClassifier classifier, PretrainedModel base,
            AutoCloseable baseLease) {
        return new ServedModel(task, version, VersionLoader.SHARED, classifier.labels(), base,
                batch -> classifier.logits(batch, false), classifier, null, null, baseLease, Passes.DIRECT);
    }

    /** The detached classifier of a {@code shared} classification version, for batches that mix versions. */
    Optional<AdaptedClassifier> sharedClassifier() {
        return VersionLoader.SHARED.equals(mode) && classifier instanceof AdaptedClassifier shared
                ? Optional.of(shared) : Optional.empty();
    }

    /** The loaded base this version answers with (its own, or the copy it shares). */
    PretrainedModel base() {
        return encoder;
    }

    /**
     * A generation task's version: {@code generator} continues prompts with the decoder and its adapters;
     * {@code adapters} is closed before the decoder when the last reference goes.
     */
    public static ServedModel generating(String task, String version, String mode, PretrainedModel decoder,
            TextGenerator generator, ChatFormat chat, AutoCloseable adapters) {
        return new ServedModel(task, version, mode, List.of(), decoder, null, adapters, generator, chat,
                decoder::close, Passes.DIRECT);
    }

    /**
     * A generation version on a decoder other versions share: every decoding loop runs inside {@code passes}, which
     * routes it through this version's adapters; {@code baseLease} is released after {@code adapters} closes.
     */
    static ServedModel generatingShared(String task, String version, PretrainedModel decoder,
            TextGenerator generator, ChatFormat chat, AutoCloseable adapters, Passes passes,
            AutoCloseable baseLease) {
        return new ServedModel(task, version, VersionLoader.SHARED, List.of(), decoder, null, adapters, generator,
                chat, baseLease, passes);
    }

    /** Runs the forward passes of one request: directly, or inside a version's adapter routing on a shared base. */
    @FunctionalInterface
    interface Passes {
        Passes DIRECT = Passes::direct;

        <T> T run(java.util.function.Supplier<T> passes);

        private static <T> T direct(java.util.function.Supplier<T> passes) {
            return passes.get();
        }
    }

    private ServedModel(String task, String version, String mode, List<String> labels, PretrainedModel encoder,
            Function<NDList, NDArray> logits, AutoCloseable classifier, TextGenerator generator, ChatFormat chat,
            AutoCloseable base, Passes passes) {
        this.base = base;
        this.passes = passes;
        this.generator = generator;
        this.chat = chat;
        this.task = task;
        this.version = version;
        this.mode = mode;
        this.labels = List.copyOf(labels);
        this.encoder = encoder;
        this.logits = logits;
        this.classifier = classifier;
    }

    public String task() {
        return task;
    }

    public String version() {
        return version;
    }

    public String mode() {
        return mode;
    }

    public List<String> labels() {
        return labels;
    }

    /** The base model's chat template, for requests that send messages; empty when it has none. */
    public Optional<ChatFormat> chatFormat() {
        return Optional.ofNullable(chat);
    }

    /** Whether this version continues prompts (a generation task's) rather than scoring texts. */
    public boolean generates() {
        return generator != null;
    }

    /**
     * Continues {@code requests} in one decoding loop. Thread-safe as {@link #predict} is: the weights are only read
     * and each call's arrays (its KV cache included) live in a sub-manager of its own. The caller holds a reference.
     */
    public List<TextGenerator.Completion> generate(List<TextGenerator.Request> requests,
            BiConsumer<Integer, String> onText) {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        if (generator == null) {
            throw new IllegalStateException(this + " classifies; it does not generate");
        }
        JniUtils.setGradMode(false);
        try (NDManager scratch = encoder.manager().newSubManager()) {
            return passes.run(() -> generator.generate(requests, scratch, onText));
        }
    }

    /**
     * What serving this version holds in memory, in bytes of tensor data: on a shared base only its own adapters and
     * head (the base is counted once, elsewhere); with a copy of its own, that whole copy. Measured once, while open.
     */
    public long residentBytes() {
        long known = residentBytes;
        if (known < 0) {
            known = VersionLoader.SHARED.equals(mode) ? ownTensorBytes(classifier)
                    : ResidentTensors.bytes(encoder.manager()); // the version's adapters live in sub-managers of it
            residentBytes = known;
        }
        return known;
    }

    private static long ownTensorBytes(AutoCloseable adapters) {
        if (adapters instanceof AdaptedClassifier classifier) {
            return classifier.residentBytes();
        }
        return adapters instanceof AdaptedLanguageModel language ? language.residentBytes() : 0;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Adds a reference, unless the model is already closed or closing. */
    public boolean tryAcquire() {
        for (int count = references.get(); count > 0; count = references.get()) {
            if (references.compareAndSet(count, count + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Drops a reference; the last one closes the model (on the caller's thread). */
    public void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            close();
        } else if (left < 0) {
            throw new IllegalStateException("released more often than acquired: " + this);
        }
    }

    /**
     * Scores {@code texts} in one batch. Thread-safe: the weights are only read, and every request's arrays live in
     * a sub-manager of its own that is closed before returning. The caller must hold a reference.
     */
    public List<Scores> predict(List<String> texts, int maxSequenceLength) {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        if (generator != null) {
            throw new IllegalStateException(this + " generates text; it does not classify");
        }
        JniUtils.setGradMode(false); // per thread and on by default: would record a graph for every request
        List<TokenizedText> tokens = encoder.tokenizer().encode(texts).stream()
                .map(text -> text.truncate(maxSequenceLength)).toList();
        try (NDManager scratch = encoder.manager().newSubManager()) {
            NDList batch = TextTokenizer.collate(tokens, scratch, maxSequenceLength);
            NDArray probabilities = logits.apply(batch).softmax(1);
            float[] flat = probabilities.toFloatArray();
            List<Scores> out = new ArrayList<>(texts.size());
            int k = labels.size();
            for (int row = 0; row < texts.size(); row++) {
                float[] one = new float[k];
                System.arraycopy(flat, row * k, one, 0, k);
                out.add(new Scores(labels, one));
            }
            return out;
        }
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            classifier.close();
        } catch (Exception e) {
            LOG.warnf("closing %s: %s", this, e);
        } finally {
            try {
                base.close();
            } catch (Exception e) {
                LOG.warnf("releasing the base of %s: %s", this, e);
            }
        }
        LOG.infof("closed %s", this);
    }

    @Override
    public String toString() {
        return "adapter " + task + "/" + version + " (" + mode + ")";
    }
}

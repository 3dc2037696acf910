package dev.adapterloop.serving;

import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.decoder.TextGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Closed-loop load on the service's generation batcher, for benchmarks: {@code clients} threads each send
 * {@code requests} generations one after another and time each (to the first text, and per new token after it).
 */
public final class GenerationLoad {

    /** Medians over every request of the run, and new tokens per second of wall time. */
    public record Figures(double firstTextP50Millis, double perTokenP50Millis, double tokensPerSecond) {
    }

    private GenerationLoad() {
    }

    /** The model is served as a version is (not closed here: the caller owns it). */
    public static Figures run(PretrainedModel model, TextGenerator generator, int loops, int maxBatch, int clients,
            int requests, IntFunction<TextGenerator.Request> request) throws Exception {
        ServedModel served = ServedModel.generating("bench", "v", VersionLoader.UNMERGED, model, generator, null,
                () -> { });
        served.tryAcquire(); // the benchmark's own reference, so that no release ever closes the caller's model
        List<Double> first = Collections.synchronizedList(new ArrayList<>());
        List<Double> perToken = Collections.synchronizedList(new ArrayList<>());
        long[] tokens = new long[clients];
        try (GenerationBatcher batcher = new GenerationBatcher(loops, maxBatch, 1024, new SimpleMeterRegistry())) {
            batcher.submit(served, request.apply(-1), text -> { }).get(); // warm-up
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < requests; r++) {
                        long sent = System.nanoTime();
                        long[] firstAt = {0};
                        TextGenerator.Completion completion = batcher.submit(served,
                                request.apply(client * requests + r), text -> {
                                    if (firstAt[0] == 0) {
                                        firstAt[0] = System.nanoTime();
                                    }
                                }).get(10, TimeUnit.MINUTES);
                        long end = System.nanoTime();
                        int n = completion.tokens().length;
                        tokens[client] += n;
                        long firstText = firstAt[0] == 0 ? end : firstAt[0];
                        first.add((firstText - sent) / 1e6);
                        if (n > 1) {
                            perToken.add((end - firstText) / 1e6 / (n - 1));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            long total = 0;
            for (long t : tokens) {
                total += t;
            }
            return new Figures(median(first), median(perToken), total / seconds);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }
}

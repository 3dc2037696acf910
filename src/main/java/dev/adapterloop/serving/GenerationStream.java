package dev.adapterloop.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A generation answered as server-sent events ({@code text/event-stream}): an {@code event: text} with
 * {@code {"text": "..."}} each time the completion grows, then one {@code event: done} with the whole answer as the
 * non-streaming request returns it, or one {@code event: error} with a problem ({@code type}, {@code status},
 * {@code detail}) when the generation failed after the stream began. What is wrong with the request itself is answered
 * before the stream starts, as a problem with its status. The decoding thread hands text over through a queue; only
 * the thread writing the response touches it.
 */
final class GenerationStream {

    /** The text deltas of one generation, from the decoding thread to the writing one. */
    static final class Deltas implements Consumer<String> {
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        @Override
        public void accept(String text) {
            queue.add(text);
        }
    }

    private static final long POLL_MILLIS = 50;

    private final CompletableFuture<GenerationService.Generation> answer;
    private final Deltas deltas;
    private final ObjectMapper json;
    private final Duration timeout;

    GenerationStream(CompletableFuture<GenerationService.Generation> answer, Deltas deltas, ObjectMapper json,
            Duration timeout) {
        this.answer = answer;
        this.deltas = deltas;
        this.json = json;
        this.timeout = timeout;
    }

    Response response() {
        StreamingOutput body = this::write;
        return Response.ok(body, MediaType.SERVER_SENT_EVENTS_TYPE).header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }

    private void write(OutputStream out) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!answer.isDone() || !deltas.queue.isEmpty()) {
                String text = deltas.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (text != null) {
                    event(out, "text", Map.of("text", text));
                } else if (System.nanoTime() > deadline) {
                    error(out, new ServingProblem(ServingProblem.Kind.OVERLOADED, null, "no answer within " + timeout
                            + " (adapterloop.serving.generation-timeout)"));
                    return;
                }
            }
            event(out, "done", answer.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            error(out, e.getCause() instanceof ServingProblem problem ? problem
                    : new ServingProblem(ServingProblem.Kind.INFERENCE_FAILED, null, String.valueOf(e.getCause())));
        }
        // An IOException (the client went away) ends the response; the generation itself finishes in its batch.
    }

    private void error(OutputStream out, ServingProblem problem) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.kind().type());
        body.put("status", problem.kind().status);
        body.put("detail", problem.getMessage());
        event(out, "error", body);
    }

    private void event(OutputStream out, String name, Object data) throws IOException {
        // JSON has no raw newline, so one data line per event is enough.
        out.write(("event: " + name + "\ndata: " + json.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}

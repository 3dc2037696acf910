package dev.adapterloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The problem body as JSON, the redaction of the object store's names, and docs/http-errors.md against the types. */
class ProblemFormatTest {

    @Test
    void extensionMembersSitBesideTheStandardOnesAndAbsentOnesAreLeftOut() throws IOException {
        Problem problem = Problem.of(ProblemType.VALIDATION_FAILED, "state must be one of [QUEUED]", "/api/jobs",
                Map.of("errors", List.of(new FieldError("state", "state must be one of [QUEUED]"))));

        JsonNode json = new ObjectMapper().valueToTree(problem);

        assertThat(json.properties()).extracting(Map.Entry::getKey)
                .containsExactly("type", "title", "status", "detail", "instance", "errors");
        assertThat(json.get("type").asText()).isEqualTo("https://adapterloop.dev/problems/validation-failed");
        assertThat(json.get("status").asInt()).isEqualTo(400);
        assertThat(json.at("/errors/0/field").asText()).isEqualTo("state");
        assertThat(new ObjectMapper().valueToTree(Problem.of(ProblemType.NOT_FOUND, "nothing", null, null))
                .has("instance")).isFalse();
    }

    @Test
    void theObjectStoresAddressAndBucketAreRedactedButTheWordsAroundThemKept() {
        StorageRedaction redaction = StorageRedaction.of("http://minio.internal:9000", "adapterloop");

        assertThat(redaction.redact("v-c failed to load: cannot get 'adapters/spam/v-c/x' in bucket 'adapterloop' at "
                + "http://minio.internal:9000: 503 SlowDown"))
                .isEqualTo("v-c failed to load: cannot get 'adapters/spam/v-c/x' in the bucket: 503 SlowDown");
        assertThat(redaction.redact("task 'x' is neither configured (adapterloop.tasks.x.*) nor in the bucket"))
                .isEqualTo("task 'x' is neither configured (adapterloop.tasks.x.*) nor in the bucket");
        assertThat(StorageRedaction.of(null, "b").redact(null)).isNull();
    }

    @Test
    void everyTypeIsDocumentedWithItsStatus() throws IOException {
        String page = Files.readString(Path.of("docs", "http-errors.md"));

        assertThat(Arrays.stream(ProblemType.values())
                .filter(type -> !page.matches("(?s).*\\| " + (type.status() == 0 ? "any" : type.status())
                        + " +\\| `" + type.slug() + "` .*"))
                .map(ProblemType::slug)).as("types missing from the table of docs/http-errors.md").isEmpty();
        assertThat(page).contains(ProblemType.BASE_URI);
    }
}

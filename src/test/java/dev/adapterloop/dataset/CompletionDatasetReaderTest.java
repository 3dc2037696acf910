package dev.adapterloop.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Generation datasets: prompt/completion and chat records, and every line that is neither, with its reason. */
class CompletionDatasetReaderTest {

    private static final long LIMIT = 1 << 20;
    private static final CompletionDatasetReader SKIP =
            new CompletionDatasetReader(LIMIT, MalformedLinePolicy.SKIP_AND_COUNT);
    private static final CompletionDatasetReader REJECT =
            new CompletionDatasetReader(LIMIT, MalformedLinePolicy.REJECT_DATASET);

    @Test
    void readsPromptCompletionAndChatRecordsInFileOrder() throws IOException {
        String jsonl = """
                {"prompt": "2 + 2 =", "completion": " 4", "id": 1}

                {"prompt": "", "completion": "plain text to learn"}
                {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},\
                 {"role": "assistant", "content": "Hello!"}]}
                """;
        JsonlRecordReader.Result<CompletionRecord> result = REJECT.read(stream(jsonl));

        assertThat(result.records()).containsExactly(
                CompletionRecord.of("2 + 2 =", " 4"),
                CompletionRecord.of("", "plain text to learn"),
                CompletionRecord.chat(List.of(new ChatTurn("system", "Be brief."), new ChatTurn("user", "Hi"),
                        new ChatTurn("assistant", "Hello!"))));
        assertThat(result.records().get(2).isChat()).isTrue();
        assertThat(result.records().getFirst().asExample()).isEqualTo(new CompletionExample("2 + 2 =", " 4"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "no completion               | {\"prompt\": \"p\"}                                       | `completion` is missing",
            "empty completion            | {\"prompt\": \"p\", \"completion\": \"  \"}               | `completion` is empty",
            "no prompt                   | {\"completion\": \"c\"}                                   | `prompt` is missing",
            "prompt not a string         | {\"prompt\": 3, \"completion\": \"c\"}                    | `prompt` must be a string",
            "both forms                  | {\"prompt\": \"p\", \"completion\": \"c\", \"messages\": []} | not both",
            "messages not a list         | {\"messages\": \"hi\"}                                    | `messages` must be a list",
            "no messages                 | {\"messages\": []}                                        | `messages` is empty",
            "last not the assistant      | {\"messages\": [{\"role\": \"user\", \"content\": \"q\"}]} | must be the assistant's",
            "empty answer                | {\"messages\": [{\"role\": \"assistant\", \"content\": \"\"}]} | assistant) message is empty",
            "unknown role                | {\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": \"a\"}]} | message 1: role must be one of",
            "content not a string        | {\"messages\": [{\"role\": \"assistant\", \"content\": [1]}]} | `content` must be a string",
            "duplicate key               | {\"prompt\": \"p\", \"completion\": \"c\", \"completion\": \"d\"} | Duplicate field",
            "not an object               | [1, 2]                                                    | expected a JSON object",
    })
    void refusesALineThatIsNoRecordWithItsReason(String name, String line, String reason) {
        assertThatThrownBy(() -> REJECT.read(stream("{\"prompt\": \"ok\", \"completion\": \"ok\"}\n" + line)))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("line 2")
                .hasMessageContaining(reason);
    }

    @Test
    void theSkipPolicyCountsMalformedLinesAndKeepsTheRest() throws IOException {
        JsonlRecordReader.Result<CompletionRecord> result = SKIP.read(stream("""
                {"prompt": "a", "completion": "b"}
                {"prompt": "a"}
                not json
                {"prompt": "c", "completion": "d"}
                """));
        assertThat(result.records()).hasSize(2);
        assertThat(result.skippedLines()).isEqualTo(2);
        assertThat(result.firstErrors()).extracting(JsonlReadResult.LineError::line).containsExactly(2, 3);
    }

    @Test
    void aDatasetWithoutAnyValidRecordAndAnOversizedOneAreRefused() {
        assertThatThrownBy(() -> SKIP.read(stream("{\"prompt\": \"a\"}\n")))
                .isInstanceOf(DatasetFormatException.class).hasMessageContaining("no valid examples");
        CompletionDatasetReader tiny = new CompletionDatasetReader(64, MalformedLinePolicy.SKIP_AND_COUNT);
        assertThatThrownBy(() -> tiny.read(stream("{\"prompt\": \"a\", \"completion\": \"b\"}\n".repeat(10))))
                .isInstanceOf(DatasetTooLargeException.class);
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}

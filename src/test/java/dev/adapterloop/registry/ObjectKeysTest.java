package dev.adapterloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"datasets/spam/0001.jsonl", "datasets/spam/v2/part-0.jsonl", "datasets/a..b/c.jsonl",
            "datasets/spam/über.jsonl", "datasets/x/..hidden"})
    void acceptsPlainKeysUnderThePrefix(String key) {
        assertThat(ObjectKeys.validate(key, "datasets/")).isEqualTo(key);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of(null, "dataset key is missing"),
                Arguments.of("", "dataset key is blank"),
                Arguments.of("   ", "dataset key is blank"),
                Arguments.of("/datasets/spam/a.jsonl",
                        "dataset key '/datasets/spam/a.jsonl' is an absolute path; keys are relative to the bucket"),
                Arguments.of("x/../y", "dataset key 'x/../y' contains a '..' segment"),
                Arguments.of("datasets/../models/m/config.json",
                        "dataset key 'datasets/../models/m/config.json' contains a '..' segment"),
                Arguments.of("datasets/..", "dataset key 'datasets/..' contains a '..' segment"),
                Arguments.of("datasets/./a.jsonl", "dataset key 'datasets/./a.jsonl' contains a '.' segment"),
                Arguments.of("datasets//a.jsonl", "dataset key 'datasets//a.jsonl' contains an empty segment ('//')"),
                Arguments.of("datasets/spam/", "dataset key 'datasets/spam/' ends with '/'; a key names an object, not a folder"),
                Arguments.of("datasets\\spam\\a.jsonl", "dataset key 'datasets\\spam\\a.jsonl' contains a backslash; keys use '/'"),
                Arguments.of("datasets/spam/a\n.jsonl",
                        "dataset key 'datasets/spam/a\\u000a.jsonl' contains a control character (U+000A) at index 15"),
                Arguments.of("datasets/\u0000", "dataset key 'datasets/\\u0000' contains a control character (U+0000) at index 9"),
                Arguments.of("s3://other-bucket/datasets/a.jsonl", "dataset key 's3://other-bucket/datasets/a.jsonl' is a URL,"
                        + " not a key: give the key inside the configured bucket, without scheme or bucket"),
                Arguments.of("http://evil.example/datasets/a.jsonl", "dataset key 'http://evil.example/datasets/a.jsonl' is a URL,"
                        + " not a key: give the key inside the configured bucket, without scheme or bucket"),
                Arguments.of("arn:aws:s3:::other-bucket/datasets/a.jsonl", "dataset key"
                        + " 'arn:aws:s3:::other-bucket/datasets/a.jsonl' is an ARN naming a bucket: give the key inside the"
                        + " configured bucket"),
                Arguments.of("other-bucket/datasets/a.jsonl",
                        "dataset key 'other-bucket/datasets/a.jsonl' is not under 'datasets/'"),
                Arguments.of("models/minilm/config.json", "dataset key 'models/minilm/config.json' is not under 'datasets/'"),
                Arguments.of("datasetsX/a.jsonl", "dataset key 'datasetsX/a.jsonl' is not under 'datasets/'"));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void rejectsWithASpecificMessage(String key, String message) {
        assertThatThrownBy(() -> ObjectKeys.validate(key, "datasets/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsKeysLongerThan1024Utf8Bytes() {
        String fits = "datasets/" + "a".repeat(1024 - 9);
        assertThat(ObjectKeys.validate(fits, "datasets/")).isEqualTo(fits);

        String tooLong = "datasets/" + "é".repeat(510); // 9 + 1020 bytes
        assertThatThrownBy(() -> ObjectKeys.validate(tooLong, "datasets/"))
                .hasMessageStartingWith("dataset key 'datasets/éééé")
                .hasMessageContaining("…'") // the key is cut in the message
                .hasMessageEndingWith(" is 1029 bytes long (UTF-8); the limit is 1024");
    }

    @Test
    void theNounFollowsThePrefix() {
        assertThatThrownBy(() -> ObjectKeys.validate("x", "models")).hasMessage("model key 'x' is not under 'models/'");
        assertThatThrownBy(() -> ObjectKeys.validate("datasets/b/x", "datasets/spam/"))
                .hasMessage("dataset key 'datasets/b/x' is not under 'datasets/spam/'");
        assertThatThrownBy(() -> ObjectKeys.validate("a/../b", null)).hasMessage("object key 'a/../b' contains a '..' segment");
        assertThat(ObjectKeys.validate("anything/at/all.bin", "")).isEqualTo("anything/at/all.bin");
    }

    @Test
    void prefixesMayBeEmptyOrEndWithASlash() {
        assertThat(ObjectKeys.validatePrefix(null)).isEmpty();
        assertThat(ObjectKeys.validatePrefix("")).isEmpty();
        assertThat(ObjectKeys.validatePrefix("datasets/spam/")).isEqualTo("datasets/spam/");
        assertThat(ObjectKeys.validatePrefix("datasets/sp")).isEqualTo("datasets/sp");
        assertThatThrownBy(() -> ObjectKeys.validatePrefix("datasets/../"))
                .hasMessage("prefix 'datasets/../' contains a '..' segment");
        assertThatThrownBy(() -> ObjectKeys.validatePrefix("datasets//"))
                .hasMessage("prefix 'datasets//' contains an empty segment ('//')");
    }
}

package dev.adapterloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the launcher arranges before Quarkus starts, per command line. */
class LaunchPlanTest {

    private static LaunchPlan plan(String... args) {
        return LaunchPlan.of(args);
    }

    @Test
    void theDefaultJobAndServeRunTheServiceAsBefore() {
        for (LaunchPlan plan : new LaunchPlan[] {plan(), plan("--serve"), plan("quickstart", "--timeout", "PT1M"),
                plan("serve")}) {
            assertThat(plan.needsKafka()).isTrue();
            assertThat(plan.systemProperties()).isEmpty();
        }
        assertThat(plan().command()).isEqualTo("quickstart");
    }

    @Test
    void trainIsNoReplicaButKeepsItsEventsAndLeavesTheTasksConfigurationAlone() {
        LaunchPlan plan = plan("train", "--data", "x.jsonl", "--rank", "4", "--lr", "3e-3", "--method", "milora",
                "--max-seq-len", "16", "--targets", "query,key,value");
        assertThat(plan.needsKafka()).isTrue();
        assertThat(plan.systemProperties())
                .containsEntry("mp.messaging.incoming.labeled-data.enabled", "false")
                .containsEntry("quarkus.scheduler.enabled", "false")
                .containsEntry("quarkus.http.host-enabled", "false")
                .containsEntry("mp.messaging.incoming.prediction-feedback.enabled", "false")
                .containsEntry("adapterloop.serving.enabled", "false")
                .doesNotContainKey("mp.messaging.outgoing.adapter-evaluations.enabled")
                .noneSatisfy((key, value) -> assertThat(key).as("options go to the job, not to configuration")
                        .startsWith("adapterloop.tasks."));
    }

    @Test
    void replayDlqNeedsTheBrokerButIsNoReplicaAndPublishesNoServiceEvents() {
        LaunchPlan plan = plan("replay-dlq", "--task", "spam", "--reason", "crash-loop", "--list");
        assertThat(plan.command()).isEqualTo("replay-dlq");
        assertThat(plan.needsKafka()).isTrue();
        assertThat(plan.systemProperties())
                .containsEntry("mp.messaging.incoming.labeled-data.enabled", "false")
                .containsEntry("quarkus.scheduler.enabled", "false")
                .containsEntry("mp.messaging.outgoing.adapter-evaluations.enabled", "false");
    }

    @Test
    void otherBatchCommandsHelpAndBadCommandLinesNeedNoBroker() {
        for (LaunchPlan plan : new LaunchPlan[] {plan("export", "--version", "v-1", "-o", "out"),
                plan("evaluate", "--version", "champion"), plan("promote", "--version", "v", "--reason", "r"),
                plan("import-model", "--id", "m", "--bundled"), plan("--help"), plan("train", "--help"),
                plan("train", "--rank", "abc"), plan("no-such-command")}) {
            assertThat(plan.needsKafka()).as(plan.command()).isFalse();
            assertThat(plan.systemProperties()).as(plan.command())
                    .containsEntry("mp.messaging.incoming.labeled-data.enabled", "false")
                    .containsEntry("mp.messaging.outgoing.adapter-training.enabled", "false")
                    .containsEntry("mp.messaging.outgoing.adapter-promotions.enabled", "false")
                    .containsEntry("mp.messaging.outgoing.adapter-evaluations.enabled", "false");
        }
    }

    @Test
    void aUsageErrorSaysWhatIsWrongInOneLineAndExitsWith2() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(AdapterloopMain.answerWithoutStarting(new String[] {"train", "--rank", "four"})).contains(2);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("Invalid value for option '--rank': 'four' is not an int")
                .contains("Try 'adapterloop train --help'")
                .doesNotContain("Usage:");
    }

    @Test
    void usageErrorsAndHelpAreAnsweredWithoutStartingAnything() {
        assertThat(AdapterloopMain.answerWithoutStarting(new String[] {"train", "--rank", "abc"})).contains(2);
        assertThat(AdapterloopMain.answerWithoutStarting(new String[] {"no-such-command"})).contains(2);
        assertThat(AdapterloopMain.answerWithoutStarting(new String[] {"evaluate"})).contains(2); // no adapter given
        assertThat(AdapterloopMain.answerWithoutStarting(new String[] {"export", "--help"})).contains(0);
        assertThat(AdapterloopMain.answerWithoutStarting(new String[] {"help", "train"})).contains(0);
        assertThat(AdapterloopMain.answerWithoutStarting(new String[] {"train", "--data", "x.jsonl"})).isEmpty();
        assertThat(AdapterloopMain.answerWithoutStarting(new String[0])).isEmpty();
    }
}

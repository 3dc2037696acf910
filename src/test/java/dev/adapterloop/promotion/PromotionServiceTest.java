package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.evaluation.HeldOutOutcomes;
import dev.adapterloop.events.AdapterPromotionEvent;
import dev.adapterloop.registry.AliasSnapshot;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.registry.CorruptObjectException;
import dev.adapterloop.registry.PromotionRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applying decisions by compare-and-set over a real S3 server, with two deciders racing: one champion ever, a loser
 * re-evaluated on the winner's aliases, one event per decision. Every test uses tasks of its own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PromotionServiceTest {

    private static final int N = 400;
    private static final String HELD_OUT = "e".repeat(64);
    private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

    @TempDir
    static Path serverDir;
    private static PromotionS3 s3;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        s3 = new PromotionS3(serverDir);
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        s3.close();
    }

    @Test
    void twoFirstAdaptersAtOnceMakeOneChampionAndTheLoserIsGatedAgainstIt() throws Exception {
        OfflinePromotion promotion = new OfflinePromotion(new OfflineGate(GateSettings.DEFAULTS),
                ChampionOutcomes.stored(s3.records), s3.service);
        int weakWon = 0;
        for (int round = 0; round < 6; round++) {
            String task = "first-" + round;
            OfflineGate.Scored weak = scored(task, "v-weak", 40);   // accuracy 0.90
            OfflineGate.Scored strong = scored(task, "v-strong", 10); // accuracy 0.975, b = 30, c = 0 against weak
            List<OfflinePromotion.Outcome> outcomes = race(() -> promotion.gate(task, weak),
                    () -> promotion.gate(task, strong));

            AliasSnapshot aliases = s3.aliases.read(task);
            String champion = aliases.alias("champion").map(AliasTarget::version).orElseThrow();
            assertThat(s3.aliases.history(task).getFirst().change().to()).isEqualTo(champion);
            assertThat(s3.aliases.history(task)).extracting(d -> d.updatedBy()).containsOnly(Transition.GATE);
            List<PromotionS3.Published> events = s3.publishedFor(task);
            assertThat(events).filteredOn(e -> e.event().alias().equals("champion")).singleElement()
                    .satisfies(e -> assertThat(e.event().to()).isEqualTo(champion))
                    .satisfies(e -> assertThat(e.event().principal()).isEqualTo("system:gate"));
            OfflinePromotion.Outcome loser = outcomes.stream()
                    .filter(o -> !o.evidence().candidate().equals(champion)).findFirst().orElseThrow();
            // the loser was not applied blindly: it was gated again, against the winner
            assertThat(loser.evidence().champion()).isEqualTo(champion);
            if (champion.equals("v-weak")) {
                weakWon++;
                assertThat(loser.evidence().verdict()).isEqualTo(GateVerdict.PROMOTE_TO_CHALLENGER);
                assertThat(loser.applied().status()).isEqualTo(PromotionService.Status.APPLIED);
                assertThat(aliases.alias("challenger").map(AliasTarget::version)).contains("v-strong");
                assertThat(aliases.generation()).isEqualTo(2);
            } else {
                assertThat(loser.evidence().verdict()).isEqualTo(GateVerdict.REJECT);
                assertThat(loser.applied().status()).isEqualTo(PromotionService.Status.NOTHING_TO_DO);
                assertThat(aliases.aliases()).containsOnlyKeys("champion");
                assertThat(aliases.generation()).isEqualTo(1);
                assertThat(events).hasSize(1);
            }
        }
        System.out.println("first-adapter races: the weaker one won " + weakWon + " of 6");
    }

    @Test
    void theSameOnlinePromotionFromTwoReplicasIsAppliedOnceWithOneEvent() throws Exception {
        for (int round = 0; round < 5; round++) {
            String task = "same-" + round;
            ExperimentState experiment = experiment(task);
            OnlineDecider.Decision decision = promoteDecision(experiment);
            Transition promote = Transition.of(decision, experiment);
            List<PromotionService.Result> results = race(() -> s3.service.apply(task, promote),
                    () -> s3.service.apply(task, promote));

            assertThat(results).extracting(PromotionService.Result::status).containsExactlyInAnyOrder(
                    PromotionService.Status.APPLIED, PromotionService.Status.ALREADY_DECIDED);
            AliasSnapshot aliases = s3.aliases.read(task);
            assertThat(aliases.alias("champion").map(AliasTarget::version)).contains("v-new");
            assertThat(aliases.alias("challenger").map(AliasTarget::version)).contains("v-old");
            assertThat(aliases.generation()).isEqualTo(4); // champion, challenger, then the two moves
            assertThat(s3.publishedFor(task)).singleElement().satisfies(p -> {
                assertThat(p.type()).isEqualTo(AdapterPromotionEvent.PROMOTED);
                assertThat(p.event().from()).isEqualTo("v-old");
                assertThat(p.event().to()).isEqualTo("v-new");
                assertThat(p.event().generation()).isEqualTo(3);
                assertThat(p.event().evidence()).isInstanceOf(OnlineEvidence.class);
                assertThat(p.event().principal()).isEqualTo("system:ab-test");
            });
            assertThat(s3.aliases.history(task)).extracting(d -> d.updatedBy())
                    .containsExactly("test", "test", Transition.ONLINE_TEST, Transition.ONLINE_TEST);
        }
    }

    @Test
    void conflictingDecisionsNeverBothApply() throws Exception {
        for (int round = 0; round < 5; round++) {
            String task = "conflict-" + round;
            ExperimentState experiment = experiment(task);
            OnlineEvidence evidence = promoteDecision(experiment).evidence();
            List<PromotionService.Result> results = race(
                    () -> s3.service.apply(task, Transition.promote(experiment, evidence)),
                    () -> s3.service.apply(task, Transition.reject(experiment, evidence)));

            assertThat(results).extracting(PromotionService.Result::status).containsExactlyInAnyOrder(
                    PromotionService.Status.APPLIED, PromotionService.Status.SUPERSEDED);
            PromotionService.Result won = results.stream()
                    .filter(r -> r.status() == PromotionService.Status.APPLIED).findFirst().orElseThrow();
            AliasSnapshot aliases = s3.aliases.read(task);
            if (won.transition().eventType().equals(AdapterPromotionEvent.PROMOTED)) {
                assertThat(aliases.alias("champion").map(AliasTarget::version)).contains("v-new");
                assertThat(aliases.alias("challenger").map(AliasTarget::version)).contains("v-old");
            } else {
                assertThat(aliases.alias("champion").map(AliasTarget::version)).contains("v-old");
                assertThat(aliases.alias("challenger")).isEmpty();
            }
            assertThat(s3.publishedFor(task)).singleElement()
                    .satisfies(p -> assertThat(p.type()).isEqualTo(won.transition().eventType()));
        }
    }

    @Test
    void aDecisionTakenOnOldAliasesChangesNothing() {
        String task = "stale";
        ExperimentState experiment = experiment(task);
        s3.putVersion(task, "v-other");
        assertThat(s3.aliases.compareAndSet(s3.aliases.read(task), "challenger", "v-other", "newer candidate", "test"))
                .isTrue();
        long generation = s3.aliases.read(task).generation();

        PromotionService.Result result = s3.service.apply(task, Transition.of(promoteDecision(experiment),
                experiment));

        assertThat(result.status()).isEqualTo(PromotionService.Status.SUPERSEDED);
        assertThat(result.detail()).contains("challenger is v-other");
        assertThat(s3.aliases.read(task).generation()).isEqualTo(generation);
        assertThat(s3.publishedFor(task)).isEmpty();
    }

    @Test
    void aRollBackPutsThePreviousChampionBack() {
        String task = "rollback";
        ExperimentState experiment = experiment(task);
        s3.service.apply(task, Transition.of(promoteDecision(experiment), experiment));
        ExperimentState monitoring = experiment.monitoring(T0);
        OnlineDecider.Decision regressed = new OnlineDecider(OnlineSettings.DEFAULTS)
                .decide(feed(monitoring, 600, 0.80, 0.95), T0.plusSeconds(60));
        assertThat(regressed.outcome()).isEqualTo(OnlineOutcome.ROLL_BACK);

        assertThat(s3.service.apply(task, Transition.of(regressed, monitoring)).status())
                .isEqualTo(PromotionService.Status.APPLIED);

        AliasSnapshot aliases = s3.aliases.read(task);
        assertThat(aliases.alias("champion").map(AliasTarget::version)).contains("v-old");
        assertThat(aliases.alias("challenger")).isEmpty();
        assertThat(s3.publishedFor(task)).extracting(PromotionS3.Published::type)
                .containsExactly(AdapterPromotionEvent.PROMOTED, AdapterPromotionEvent.ROLLED_BACK);
    }

    @Test
    void concurrentObserversLoseNoObservationAndOneOfThemAppliesTheDecision() throws Exception {
        String task = "observers";
        experiment(task);
        Clock clock = Clock.fixed(T0.plusSeconds(30), java.time.ZoneOffset.UTC);
        OnlineSettings quick = new OnlineSettings(0.05, 0.03, 100, 2000, Duration.ofDays(14), Duration.ofDays(3),
                1000, 0.05, 1.5, 30);
        OnlineExperiments experiments = new OnlineExperiments(s3.records, t -> new OnlineDecider(quick), s3.service,
                clock);
        experiments.start(task, "v-old", "v-new");
        // 2 x 100 feedback events at once: champion right 80 %, challenger 100 % of the time
        List<Boolean> done = race(() -> observe(experiments, task, 0, 100), () -> observe(experiments, task, 100, 200));
        assertThat(done).containsOnly(true);
        ExperimentState state = experiments.current(task).orElseThrow();
        assertThat(state.championArm().outcomes()).isEqualTo(200);
        assertThat(state.challengerArm().outcomes()).isEqualTo(200);
        assertThat(state.phase()).isEqualTo(ExperimentState.Phase.EXPERIMENT); // guardrails not judged yet: no requests

        // requests for the guardrails: the 30th on each arm lets them be judged, and the decision comes
        List<OnlineExperiments.Observed> observed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            experiments.observe(task, s -> s.withRequest("champion", "v-old", 20, false)).ifPresent(observed::add);
            experiments.observe(task, s -> s.withRequest("challenger", "v-new", 21, false)).ifPresent(observed::add);
        }
        assertThat(observed).hasSize(60);
        assertThat(observed.subList(0, 59)).allSatisfy(o -> assertThat(o.decision().outcome())
                .isEqualTo(OnlineOutcome.CONTINUE));
        OnlineExperiments.Observed last = observed.getLast();
        assertThat(last.decision().outcome()).isEqualTo(OnlineOutcome.PROMOTE);
        assertThat(last.applied().status()).isEqualTo(PromotionService.Status.APPLIED);
        assertThat(experiments.current(task).orElseThrow().phase()).isEqualTo(ExperimentState.Phase.MONITORING);
        assertThat(s3.aliases.read(task).alias("champion").map(AliasTarget::version)).contains("v-new");
        assertThat(s3.publishedFor(task)).singleElement()
                .satisfies(p -> assertThat(p.type()).isEqualTo(AdapterPromotionEvent.PROMOTED));
    }

    @Test
    void aCorruptExperimentStateNamesItsKey() {
        String key = PromotionRecords.experimentKey("corrupt");
        s3.store.put(key, "{\"schemaVersion\":1,".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThatThrownBy(() -> s3.records.readExperiment("corrupt", ExperimentState.class))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining(key);
    }

    private static boolean observe(OnlineExperiments experiments, String task, int from, int to) {
        for (int i = from; i < to; i++) {
            boolean championRight = i % 5 != 0;
            experiments.observe(task, s -> s.withOutcome("champion", "v-old", championRight ? 1 : 0)
                    .withOutcome("challenger", "v-new", 1));
        }
        return true;
    }

    /** Aliases champion v-old and challenger v-new, and the experiment between them. */
    private static ExperimentState experiment(String task) {
        s3.putVersion(task, "v-old");
        s3.putVersion(task, "v-new");
        assertThat(s3.aliases.compareAndSet(task, 0, "champion", "v-old", "first", "test")).isTrue();
        assertThat(s3.aliases.compareAndSet(task, 1, "challenger", "v-new", "gated", "test")).isTrue();
        return ExperimentState.start(task, "v-old", "v-new", T0);
    }

    private static OnlineDecider.Decision promoteDecision(ExperimentState experiment) {
        ExperimentState fed = feed(experiment, 600, 0.80, 0.95);
        for (int i = 0; i < 200; i++) {
            fed = fed.withRequest("champion", fed.champion(), 20, false)
                    .withRequest("challenger", fed.challenger(), 20, false);
        }
        OnlineDecider.Decision decision = new OnlineDecider(OnlineSettings.DEFAULTS).decide(fed,
                T0.plus(Duration.ofHours(1)));
        assertThat(decision.outcome()).isEqualTo(OnlineOutcome.PROMOTE);
        return decision;
    }

    private static ExperimentState feed(ExperimentState state, int n, double championAccuracy,
                                        double challengerAccuracy) {
        ExperimentState s = state;
        for (int i = 0; i < n; i++) {
            s = s.withOutcome("champion", s.champion(), i < championAccuracy * n ? 1 : 0)
                    .withOutcome("challenger", s.challenger(), i < challengerAccuracy * n ? 1 : 0);
        }
        return s;
    }

    /** Outcomes of a version on the shared held-out set, wrong on its first {@code wrong} examples; stored. */
    private static OfflineGate.Scored scored(String task, String version, int wrong) {
        s3.putVersion(task, version);
        int[] truth = IntStream.range(0, N).map(i -> i % 2).toArray();
        int[] predicted = truth.clone();
        for (int i = 0; i < wrong; i++) {
            predicted[i] = 1 - predicted[i];
        }
        HeldOutOutcomes outcomes = new HeldOutOutcomes(HELD_OUT, List.of("ham", "spam"), truth, predicted);
        s3.records.writeEvaluation(task, version, HELD_OUT, outcomes);
        return new OfflineGate.Scored(version, outcomes);
    }

    /** Runs both at once (released together) and returns their results in order. */
    private static <T> List<T> race(Callable<T> first, Callable<T> second) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : List.of(first, second)) {
            futures.add(pool.submit(() -> {
                go.await();
                return task.call();
            }));
        }
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(60, TimeUnit.SECONDS));
        }
        return results;
    }
}

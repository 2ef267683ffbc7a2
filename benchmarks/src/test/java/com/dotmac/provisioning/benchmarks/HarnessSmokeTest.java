package com.dotmac.provisioning.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.benchmarks.events.Receipts;
import com.dotmac.provisioning.benchmarks.events.WebhookReceiver;
import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.webhooks.sender.WebhookSignature;
import com.dotmac.provisioning.webhooks.sender.Webhooks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness works, at a size that takes seconds: no benchmark figure is checked here, only that each side did the
 * lifecycle it claims (the floor's statement count is its definition; the per-job client's request count follows
 * from the run time and poll interval) and that the report is written.
 */
class HarnessSmokeTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Report report = new Report(new PrintStream(out, true, StandardCharsets.UTF_8));

    @Test
    void throughputRunsTheEngineAndTheFloorOnH2() {
        ThroughputBenchmark.Result result;
        try (Databases databases = new Databases()) {
            result = new ThroughputBenchmark(databases).run("h2", new ThroughputBenchmark.Settings(20, 5, 1), report);
        }

        // H2: three job writes of two statements in a transaction each, two tenant updates
        assertThat(result.floor().statementsPerJob()).isEqualTo(8.0);
        assertThat(result.floor().commitsPerJob()).isEqualTo(3.0);
        assertThat(result.engine().statementsPerJob()).isGreaterThan(result.floor().statementsPerJob());
        assertThat(result.engine().counts().executions()).containsKeys("job insert", "tenant status update");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Engine throughput against the JDBC floor: H2");
    }

    @Test
    void memoryRunsBothSidesAndBoundsTheRunnerCallsOfTheBoundedOne() {
        List<MemoryBenchmark.Side> sides;
        try (Databases databases = new Databases()) {
            sides = new MemoryBenchmark(databases).run(new MemoryBenchmark.Settings("h2", 40,
                    List.of(MemoryBenchmark.DEFAULT, "2"), Duration.ofMillis(5), "smoke"), report);
        }

        assertThat(sides).extracting(MemoryBenchmark.Side::side).containsExactly(MemoryBenchmark.DEFAULT, "2");
        assertThat(sides.get(1).mostCallsAtOnce()).isBetween(1, 2);
        assertThat(sides.get(1).sweepThreads()).containsKey("provisioning-runner-call-#");
        assertThat(sides.get(1).sweepThreads().get("provisioning-runner-call-#")).isLessThanOrEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Memory and threads: 40 runs in flight")
                .contains("runnerCallThreads=2");
    }

    @Test
    void memoryWithARunnerWhoseCallsEndWhenInterruptedHasNoRunnerCallThreads() {
        String side = MemoryBenchmark.DEFAULT + MemoryBenchmark.INTERRUPTIBLE;
        List<MemoryBenchmark.Side> sides;
        try (Databases databases = new Databases()) {
            sides = new MemoryBenchmark(databases).run(new MemoryBenchmark.Settings("h2", 40, List.of(side),
                    Duration.ofMillis(5), "smoke"), report);
        }

        assertThat(sides).extracting(MemoryBenchmark.Side::side).containsExactly(side);
        assertThat(sides.get(0).launchThreads()).doesNotContainKey("provisioning-runner-call-#");
        assertThat(sides.get(0).sweepThreads()).doesNotContainKey("provisioning-runner-call-#");
        int engine = sides.get(0).launchThreads().entrySet().stream().filter(e -> e.getKey().startsWith("provisioning-"))
                .mapToInt(Map.Entry::getValue).sum();
        assertThat(engine).as("the default scheduler's 3 threads and its timer").isLessThanOrEqualTo(4);
    }

    @Test
    void awxEconomyCountsBothClientsAgainstOneFake() {
        List<AwxEconomyBenchmark.Result> results = new AwxEconomyBenchmark().run(new AwxEconomyBenchmark.Settings(
                20, Duration.ofSeconds(30), List.of(Duration.ofSeconds(15)), Duration.ofSeconds(5)), report);

        assertThat(results).hasSize(2);
        for (AwxEconomyBenchmark.Result r : results) {
            // launch, then a poll at 15 s (running) and one at 30 s (ended at 30 s)
            assertThat(r.perJob().total()).isEqualTo(20 * 3);
            assertThat(r.perJob().serverSide()).isEqualTo(r.perJob().total());
            assertThat(r.engine().serverSide()).isEqualTo(r.engine().total());
            assertThat(r.engine().byKind()).containsEntry("POST job_templates/{id}/launch/", 20L);
        }
    }

    @Test
    void throughputAlternatesTheSidesAndReportsEachRatioAsMedianAndSpread() {
        ThroughputBenchmark.Result result;
        try (Databases databases = new Databases()) {
            result = new ThroughputBenchmark(databases).run("h2", new ThroughputBenchmark.Settings(10, 5, 3), report);
        }

        assertThat(result.runs()).extracting(ThroughputBenchmark.Run::engineFirst).containsExactly(true, false, true);
        assertThat(result.wallRatio().count()).isEqualTo(3);
        assertThat(result.wallRatio().min()).isLessThanOrEqualTo(result.wallRatio().median());
        assertThat(result.wallRatio().max()).isGreaterThanOrEqualTo(result.wallRatio().median());
        assertThat(result.statementsEqualInEveryRun()).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("median of per-run ratios (min–max, runs)", "3 runs)",
                "(a count: equal in all 3 runs)", "| 2 | floor, engine |");
    }

    @Test
    void awxRequestCountsAreEqualInEveryRun() {
        AwxEconomyBenchmark.Settings settings = new AwxEconomyBenchmark.Settings(10, Duration.ofSeconds(30),
                List.of(Duration.ofSeconds(15)), Duration.ofSeconds(5));
        List<AwxEconomyBenchmark.Result> first = new AwxEconomyBenchmark().run(settings, report);
        List<AwxEconomyBenchmark.Result> second = new AwxEconomyBenchmark().run(settings, report);

        assertThat(second).extracting(r -> r.engine().total(), r -> r.perJob().total())
                .isEqualTo(first.stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.engine().total(),
                        r.perJob().total())).toList());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("These are counts, not timings");
    }

    @Test
    void latencyReportsTheCallbackWithAndWithoutHttp() {
        try (Databases databases = new Databases()) {
            new DetectionLatencyBenchmark(databases).run(new DetectionLatencyBenchmark.Settings("h2", 2,
                    Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMillis(1500),
                    Duration.ofMillis(300)), report);
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "| callback at the moment the AWX job ends, direct call (no HTTP) |",
                "| callback at the moment the AWX job ends, **over HTTP** |",
                "| callback before the AWX job ends, **over HTTP** |", "leaves out HTTP");
    }

    @Test
    void rolloutEnqueuesBothWaysAndRunsAWholeRolloutToTheEnd() {
        RolloutBenchmark.Result result;
        long start = System.nanoTime();
        try (Databases databases = new Databases()) {
            result = new RolloutBenchmark(databases).run(RolloutBenchmark.Settings.of("h2", List.of("enqueue",
                    "whole"), 20, 2, 5, Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(100)),
                    report);
        }
        System.out.printf("rollout smoke test: %.1f s%n", (System.nanoTime() - start) / 1e9);

        assertThat(result.enqueue()).extracting(RolloutEnqueue.Run::rolloutFirst).containsExactly(true, false);
        for (RolloutEnqueue.Run run : result.enqueue()) {
            // the rollout, one batch of 20 members, its first event
            assertThat(run.rollout().createStatements()).isEqualTo(3);
            assertThat(run.requests().statements()).isGreaterThanOrEqualTo(20);
        }
        WholeRollout.Result whole = java.util.Objects.requireNonNull(result.whole());
        assertThat(whole.rollout().members()).containsEntry(
                com.dotmac.provisioning.rollout.RolloutMemberStatus.SUCCEEDED, 20L);
        assertThat(whole.mostActive()).isBetween(1, 5);
        assertThat(whole.awx()).containsEntry("POST job_templates/{id}/launch/", 20L);
        assertThat(whole.engineCap()).isEqualTo(WholeRollout.engineCapFor(5));
        assertThat(WholeRollout.engineCapFor(200)).isEqualTo(222);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Rollouts: enqueueing 20 tenants",
                "Rollouts: a whole upgrade rollout of 20 tenants", "| wall / ideal |");
    }

    @Test
    void outboxComparesOffAndOnAndMeasuresTheLagOfEveryEvent() {
        OutboxBenchmark.Result result;
        long start = System.nanoTime();
        try (Databases databases = new Databases()) {
            result = new OutboxBenchmark(databases).run(new OutboxBenchmark.Settings("h2", 10, 5, 2, 20,
                    List.of(Duration.ofMillis(50)), List.of("java"), Webhooks.DEFAULT_POLL_INTERVAL), report);
        }
        System.out.printf("outbox smoke test: %.1f s%n", (System.nanoTime() - start) / 1e9);

        // queued, in progress, succeeded: three events per job, every one delivered within the run
        assertThat(result.throughput().runs()).extracting(OutboxThroughput.Run::eventsDelivered)
                .containsExactly(30L, 30L);
        assertThat(result.throughput().runs()).extracting(OutboxThroughput.Run::offFirst).containsExactly(true, false);
        assertThat(result.throughput().on().executions()).containsKeys("outbox claim: read the heads",
                "outbox delete (delivered)");
        assertThat(result.lags()).singleElement().satisfies(lag -> {
            assertThat(lag.events()).isEqualTo(60);
            assertThat(lag.lagMillis().count()).isEqualTo(60);
        });
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "Events out: lifecycle throughput with the outbox off and on: H2",
                "Events out: delivery lag from the change to its receipt",
                "| Java EventConsumer (in process) | 50 ms |");
    }

    @Test
    void outboxLagFollowsEveryEventThroughTheWebhookQueueToASignedPost() {
        OutboxBenchmark.Result result;
        long start = System.nanoTime();
        try (Databases databases = new Databases()) {
            result = new OutboxBenchmark(databases).run(new OutboxBenchmark.Settings("h2", 5, 0, 1, 20,
                    List.of(Duration.ofMillis(50)), List.of("webhook"), Duration.ofMillis(100)), report);
        }
        System.out.printf("outbox webhook smoke test: %.1f s%n", (System.nanoTime() - start) / 1e9);

        assertThat(result.lags()).singleElement().satisfies(lag -> {
            // every change of the 20 jobs posted, verified and received once (no receiver failed)
            assertThat(lag.events()).isEqualTo(60);
            assertThat(lag.duplicates()).isZero();
            assertThat(lag.lagMillis().count()).isEqualTo(60);
            // the queue table: one insert per event on enqueue, one delete per delivered post
            assertThat(lag.hopStatements().executions()).containsEntry("webhook enqueue: insert", 60L)
                    .containsEntry("webhook delete (delivered)", 60L)
                    .containsKeys("webhook claim: read the heads", "webhook claim: lease");
        });
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "| webhook (signed CloudEvents over HTTP) | 50 ms |", "| hop statement kind | 50 ms: per event | 50 ms: µs each |");
    }

    @Test
    void theWebhookReceiverRefusesARequestWhoseSignatureDoesNotMatch() throws Exception {
        Receipts receipts = new Receipts();
        try (Databases databases = new Databases(); BenchDatabase db = databases.h2();
                WebhookReceiver receiver = new WebhookReceiver(db.newPool(2), db.dialect(), Duration.ofSeconds(1),
                        Clock.systemUTC())) {
            receiver.attach(TenantProvisioner.builder(), receipts);
            String body = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"time\":\"2026-01-01T00:00:00Z\"}";
            HttpRequest forged = HttpRequest.newBuilder(receiver.uri())
                    .header(WebhookSignature.ID_HEADER, "e-1")
                    .header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(Clock.systemUTC().instant()
                            .getEpochSecond()))
                    .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.SCHEME + "00".repeat(32))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();

            HttpResponse<Void> response = HttpClient.newHttpClient().send(forged,
                    HttpResponse.BodyHandlers.discarding());

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(receipts.rejection()).startsWith("webhook signature refused: signature does not match");
            assertThat(receipts.receipts()).isZero();
        }
    }

    @Test
    void nodesLatencyRunsOneAndTwoNodesThroughTheProxyAndTheSlowRunner() {
        List<LatencyNodesBenchmark.Result> results;
        long start = System.nanoTime();
        try (Databases databases = new Databases()) {
            results = new LatencyNodesBenchmark(databases).run(new LatencyNodesBenchmark.Settings(List.of(1, 2), 20,
                    Duration.ofMillis(5), Duration.ofMillis(1), 2, List.of(LatencyNodesBenchmark.Shape.parse("4x4")),
                    0), report);
        }
        System.out.printf("nodes-latency smoke test: %.1f s%n", (System.nanoTime() - start) / 1e9);

        assertThat(results).extracting(LatencyNodesBenchmark.Result::nodes).containsExactly(1, 2);
        for (LatencyNodesBenchmark.Result r : results) {
            // every job launched once (the scripted runner's log and the slow runner's count) and provisioned
            assertThat(r.launches()).isEqualTo(20);
            assertThat(r.calls().launches()).isEqualTo(20);
            assertThat(r.provisioned()).isEqualTo(20);
            // running at the first poll, success at the second: at least one poll call, batched over jobs
            assertThat(r.calls().polls()).isPositive();
            // every statement went through the proxy: a request and its answer at least
            assertThat(r.statementsPerJob()).isGreaterThanOrEqualTo(5.0);
            assertThat(r.chunksPerJob()).isGreaterThanOrEqualTo(2 * r.statementsPerJob());
            assertThat(r.scheduler().tasks()).isGreaterThanOrEqualTo(20);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Nodes whose cost is latency: throughput",
                "| 4x4 | 1 |", "| 4x4 | 2 |", "20 for 20 jobs");
        assertThat(Options.parse("nodes-latency", "nodes-latency.shapes=4x4,8x8").benchmarks())
                .containsExactly("nodes-latency");
        assertThat(Options.parse("all", "nodes-latency").benchmarks()).contains("nodes", "nodes-latency");
        assertThatThrownBy(() -> LatencyNodesBenchmark.Shape.parse("4by4")).hasMessageContaining("'4by4'");
    }

    @Test
    void concurrentRunsBothSidesOnThreadsAndAlternatesThem() {
        ConcurrentBenchmark.Result result;
        long start = System.nanoTime();
        try (Databases databases = new Databases()) {
            result = new ConcurrentBenchmark(databases).run(new ConcurrentBenchmark.Settings("h2", 2, 10, 4, 2,
                    Duration.ofMillis(50), Duration.ofMillis(20)), report);
        }
        System.out.printf("concurrent smoke test: %.1f s%n", (System.nanoTime() - start) / 1e9);

        assertThat(result.runs()).extracting(ConcurrentBenchmark.Run::engineFirst).containsExactly(true, false);
        assertThat(result.ratio().count()).isEqualTo(2);
        for (ConcurrentBenchmark.Run run : result.runs()) {
            // H2: three job writes of two statements in a transaction each, two tenant updates
            assertThat(run.floor().counts().statements()).isEqualTo(10 * 8);
            assertThat(run.floor().counts().commits()).isEqualTo(10 * 3);
            assertThat(run.engine().counts().executions()).containsEntry("job insert", 10L)
                    .containsKey("tenant status update");
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "Concurrent throughput against a concurrent floor: H2", "| 2 | floor, engine |");
    }

    @Test
    void unknownBenchmarksAndOptionsAreRefusedByName() {
        assertThatThrownBy(() -> Options.parse("througput")).hasMessageContaining("'througput'");
        assertThatThrownBy(() -> Options.parse("awx", "awx.job=5")).hasMessageContaining("'awx.job'");
        assertThatThrownBy(() -> Options.parse("awx", "awx.runtime=ten").duration("awx.runtime"))
                .hasMessageContaining("awx.runtime");
        assertThat(Options.parse().benchmarks()).containsExactly("throughput", "awx", "scale", "nodes", "latency");
    }
}

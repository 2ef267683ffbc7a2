package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Machine;
import com.dotmac.provisioning.benchmarks.support.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Runs benchmarks and prints a Markdown report on stdout.
 *
 * <pre>
 * java -cp ... com.dotmac.provisioning.benchmarks.Main [throughput] [awx] [scale] [nodes] [nodes-latency] [latency]
 *      [rollout] [outbox] [concurrent] [memory] [all] [name=value ...]
 * </pre>
 *
 * <p>Options (defaults in brackets): {@code databases} [postgresql,h2]; {@code h2.settings} [none: settings appended
 * to H2's URL, e.g. {@code ;QUERY_CACHE_SIZE=64}]; {@code throughput.jobs} [2000],
 * {@code throughput.warmup} [500], {@code throughput.reps} [3]; {@code awx.jobs} [1000], {@code awx.runtime} [600s],
 * {@code awx.polls} [15s,30s], {@code awx.sweep} [2s], {@code awx.callback-safety} [1,5: callbackSafetyPollEvery
 * values measured with callbacks on]; {@code scale.jobs} [10000], {@code scale.sweeps} [5],
 * {@code scale.database} [postgresql]; {@code nodes.counts} [1,2,3], {@code nodes.jobs} [3000],
 * {@code nodes.database} [postgresql]; {@code nodes-latency.counts} [1,2,3], {@code nodes-latency.jobs} [3000],
 * {@code nodes-latency.runner-delay} [50ms: every runner call], {@code nodes-latency.db-delay} [1ms: each chunk, each
 * direction, through a proxy in front of PostgreSQL], {@code nodes-latency.clients-per-node} [4],
 * {@code nodes-latency.shapes} [4x4: scheduler threads x pool connections per node; several, comma-separated, are
 * each measured], {@code nodes-latency.warmup} [300 jobs of one node, not reported]; {@code latency.jobs}
 * [60 per group], {@code latency.poll} [15s],
 * {@code latency.sweep} [2s], {@code latency.runtime} [5s-35s], {@code latency.callback-lead} [1s],
 * {@code latency.database} [postgresql]; {@code rollout.parts} [enqueue,whole], {@code rollout.tenants} [10000],
 * {@code rollout.reps} [3: enqueue comparisons], {@code rollout.parallel} [200], {@code rollout.runtime} [5s],
 * {@code rollout.poll} [2s], {@code rollout.sweep} [1s], {@code rollout.database} [postgresql]; {@code outbox.jobs}
 * [2000], {@code outbox.warmup} [500], {@code outbox.reps} [3], {@code outbox.lag-jobs} [1000],
 * {@code outbox.intervals} [1s,100ms], {@code outbox.database} [postgresql], {@code outbox.receivers}
 * [java,webhook], {@code outbox.webhook-poll} [1s: the webhook module's default]; {@code concurrent.database}
 * [postgresql], {@code concurrent.threads} [8], {@code concurrent.jobs} [4000 per side and repetition],
 * {@code concurrent.warmup} [1000], {@code concurrent.reps} [3], {@code concurrent.poll} [50ms],
 * {@code concurrent.sweep} [20ms]; {@code memory.jobs} [10000],
 * {@code memory.database} [postgresql], {@code memory.runner-call-threads} [default,default/interruptible: the
 * sides, each a number or {@code default}, which leaves the setting alone and so also runs against an engine from
 * before it; {@code /interruptible} after it gives the side a stub runner that says its calls end when interrupted,
 * so that the engine makes them on its own threads instead of its runner-call pool],
 * {@code memory.call-latency} [20ms: each stub runner call's sleep], {@code memory.label} [none: names the engine on
 * the class path in the report]; {@code out} [none: also write the report to this file]. {@code all} runs the
 * first five; {@code nodes-latency}, {@code rollout}, {@code outbox},
 * {@code concurrent} and {@code memory} run only when named.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args benchmark names and options
     */
    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Report report = new Report(System.out);
        run(options, report);
        String out = options.text("out");
        if (!out.isBlank()) {
            try {
                Files.writeString(Path.of(out), report.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + out, e);
            }
        }
        System.exit(0);
    }

    /**
     * Runs the benchmarks the options name.
     *
     * @param options what to run, at which sizes
     * @param report where the figures go
     */
    static void run(Options options, Report report) {
        report.heading(2, "Benchmark run " + Instant.now());
        Machine.describe().forEach(l -> report.line("- " + l));
        report.line("- command line options: " + options.values());
        try (Databases databases = new Databases(options.text("h2.settings"))) {
            for (String benchmark : options.benchmarks()) {
                long start = System.nanoTime();
                switch (benchmark) {
                    case "throughput" -> {
                        ThroughputBenchmark.Settings settings = new ThroughputBenchmark.Settings(
                                options.integer("throughput.jobs"), options.integer("throughput.warmup"),
                                Math.max(1, options.integer("throughput.reps")));
                        for (String db : options.list("databases")) {
                            new ThroughputBenchmark(databases).run(db, settings, report);
                        }
                    }
                    case "awx" -> new AwxEconomyBenchmark().run(new AwxEconomyBenchmark.Settings(
                            options.integer("awx.jobs"), options.duration("awx.runtime"),
                            options.durations("awx.polls"), options.duration("awx.sweep"),
                            options.integers("awx.callback-safety")), report);
                    case "scale" -> new ScaleBenchmark(databases).run(new ScaleBenchmark.Settings(
                            options.text("scale.database"), options.integer("scale.jobs"),
                            options.integer("scale.sweeps")), report);
                    case "nodes" -> new MultiNodeBenchmark(databases).run(new MultiNodeBenchmark.Settings(
                            options.text("nodes.database"), options.integers("nodes.counts"),
                            options.integer("nodes.jobs")), report);
                    case "nodes-latency" -> new LatencyNodesBenchmark(databases).run(
                            new LatencyNodesBenchmark.Settings(options.integers("nodes-latency.counts"),
                                    options.integer("nodes-latency.jobs"),
                                    options.duration("nodes-latency.runner-delay"),
                                    options.duration("nodes-latency.db-delay"),
                                    options.integer("nodes-latency.clients-per-node"),
                                    options.list("nodes-latency.shapes").stream()
                                            .map(LatencyNodesBenchmark.Shape::parse).toList(),
                                    options.integer("nodes-latency.warmup")), report);
                    case "latency" -> {
                        java.time.Duration[] runs = options.range("latency.runtime");
                        new DetectionLatencyBenchmark(databases).run(new DetectionLatencyBenchmark.Settings(
                                options.text("latency.database"), options.integer("latency.jobs"),
                                options.duration("latency.poll"), options.duration("latency.sweep"), runs[0], runs[1],
                                options.duration("latency.callback-lead")), report);
                    }
                    case "rollout" -> new RolloutBenchmark(databases).run(RolloutBenchmark.Settings.of(
                            options.text("rollout.database"), options.list("rollout.parts"),
                            options.integer("rollout.tenants"), options.integer("rollout.reps"),
                            options.integer("rollout.parallel"), options.duration("rollout.runtime"),
                            options.duration("rollout.poll"), options.duration("rollout.sweep")), report);
                    case "outbox" -> new OutboxBenchmark(databases).run(new OutboxBenchmark.Settings(
                            options.text("outbox.database"), options.integer("outbox.jobs"),
                            options.integer("outbox.warmup"), options.integer("outbox.reps"),
                            options.integer("outbox.lag-jobs"), options.durations("outbox.intervals"),
                            options.list("outbox.receivers"), options.duration("outbox.webhook-poll")), report);
                    case "concurrent" -> new ConcurrentBenchmark(databases).run(new ConcurrentBenchmark.Settings(
                            options.text("concurrent.database"), options.integer("concurrent.threads"),
                            options.integer("concurrent.jobs"), options.integer("concurrent.warmup"),
                            Math.max(1, options.integer("concurrent.reps")), options.duration("concurrent.poll"),
                            options.duration("concurrent.sweep")), report);
                    case "memory" -> new MemoryBenchmark(databases).run(new MemoryBenchmark.Settings(
                            options.text("memory.database"), options.integer("memory.jobs"),
                            options.list("memory.runner-call-threads"), options.duration("memory.call-latency"),
                            options.text("memory.label")), report);
                    default -> throw new IllegalArgumentException("unknown benchmark: " + benchmark);
                }
                report.line("(%s took %.0f s)", benchmark, (System.nanoTime() - start) / 1e9);
            }
        }
    }
}

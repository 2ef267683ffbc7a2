package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.CallbackReport;
import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.TenantStatus;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.benchmarks.support.Databases;
import com.dotmac.provisioning.benchmarks.support.Databases.BenchDatabase;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.benchmarks.support.Stats;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Detection latency, in real time: from the moment an AWX job ends (the fake AWX is told to show it
 * {@code successful}) to the moment the tenant directory is told {@code provisioned}. One engine (default scheduler,
 * real clock, database repository, AWX runner against the fake) runs three groups of jobs at once, each job ending
 * after a random run time:
 *
 * <ul>
 *   <li>polling only: the engine finds out at its next poll;</li>
 *   <li>callback at the end: {@code acceptCallback} is called at the moment the AWX job ends (it triggers an
 *       immediate poll);</li>
 *   <li>callback before the end: {@code acceptCallback} is called {@code callbackLead} before the AWX job ends, as
 *       happens in practice: the {@code tenant_post_provision} role posts the callback as the playbook's last task,
 *       while AWX still shows the job running.</li>
 * </ul>
 *
 * <p>Each callback group comes twice: once calling {@code acceptCallback} directly (no HTTP), once posting the
 * callback over real HTTP to a {@link CallbackEndpoint} (what the starter's controller does, without Spring).
 */
public final class DetectionLatencyBenchmark {
    private static final byte[] SECRET = "benchmark-callback-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final long SEED = 20_260_115L;

    /**
     * @param database {@code postgresql} or {@code h2}
     * @param jobsPerGroup jobs in each group
     * @param pollInterval the engine's poll interval
     * @param sweepInterval the engine's sweep interval
     * @param minRun the shortest run
     * @param maxRun the longest run
     * @param callbackLead how long before the end the early callback comes
     */
    public record Settings(String database, int jobsPerGroup, Duration pollInterval, Duration sweepInterval,
            Duration minRun, Duration maxRun, Duration callbackLead) {
    }

    private enum Group {
        POLLING("polling only", false, false, false),
        CALLBACK_AT_END("callback at the moment the AWX job ends, direct call (no HTTP)", true, false, false),
        CALLBACK_AT_END_HTTP("callback at the moment the AWX job ends, **over HTTP**", true, false, true),
        CALLBACK_BEFORE_END("callback before the AWX job ends, direct call (no HTTP)", false, true, false),
        CALLBACK_BEFORE_END_HTTP("callback before the AWX job ends, **over HTTP**", false, true, true);

        final String words;
        final boolean atEnd;
        final boolean beforeEnd;
        final boolean http;

        Group(String words, boolean atEnd, boolean beforeEnd, boolean http) {
            this.words = words;
            this.atEnd = atEnd;
            this.beforeEnd = beforeEnd;
            this.http = http;
        }
    }

    private record Planned(String tenantId, Group group, long runMillis) {
    }

    private final Databases databases;

    /** @param databases where the database comes from */
    public DetectionLatencyBenchmark(Databases databases) {
        this.databases = databases;
    }

    /**
     * @param s the settings
     * @param report where the figures go
     */
    public void run(Settings s, Report report) {
        Map<String, Long> provisionedAt = new ConcurrentHashMap<>();
        Map<String, Long> endedAt = new ConcurrentHashMap<>();
        List<Planned> plan = plan(s);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
        List<String> failures = new CopyOnWriteArrayList<>();
        try (BenchDatabase db = databases.open(s.database()); FakeAwx fake = new FakeAwx()) {
            fake.defaultScript(RunScript.hang());
            fake.start();
            db.addTenants("lat-", plan.size());
            TenantDirectory directory = recording(JdbcTenantDirectory.builder(db.dataSource()).build(), provisionedAt);
            try (AwxAutomationRunner runner = new AwxAutomationRunner(fake.configBuilder().build())) {
                TenantProvisioner engine = TenantProvisioner.builder()
                        .repository(new JdbcJobRepository(db.dataSource(), db.dialect()))
                        .tenantDirectory(directory).runner(runner).nodeId("bench-latency")
                        .pollInterval(s.pollInterval()).sweepInterval(s.sweepInterval())
                        .callback(new CallbackSettings("https://platform.example.com/api/v1/tenants/{tenant_id}/"
                                + "provisioning/jobs/{job_id}/callback", SECRET))
                        .build();
                engine.start();
                try (CallbackEndpoint endpoint = new CallbackEndpoint(engine)) {
                    int warmUp = endpoint.post("lat-0", "warm-up", "not-a-token", 0);
                    if (warmUp != 401) {
                        throw new IllegalStateException("the callback endpoint answered a bad token with " + warmUp);
                    }
                    Map<String, String> jobIds = new ConcurrentHashMap<>();
                    for (Planned p : plan) {
                        jobIds.put(p.tenantId(), engine.request(ProvisioningRequest.provision(p.tenantId(),
                                DeploymentMode.DOTMAC_HOSTED)).id());
                    }
                    for (Planned p : plan) {
                        String jobId = Objects.requireNonNull(jobIds.get(p.tenantId()), "every tenant was requested");
                        long awxJobId = Long.parseLong(awaitRun(engine, jobId));
                        schedule(timer, engine, endpoint, fake, p, jobId, awxJobId, s.callbackLead(), endedAt,
                                failures);
                    }
                    long deadline = System.nanoTime() + s.maxRun().plus(s.pollInterval().multipliedBy(4))
                            .plusMinutes(1).toNanos();
                    while (provisionedAt.size() < plan.size() && failures.isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    if (!failures.isEmpty()) {
                        throw new IllegalStateException("callbacks failed: " + failures);
                    }
                    if (provisionedAt.size() < plan.size()) {
                        throw new IllegalStateException("only " + provisionedAt.size() + " of " + plan.size()
                                + " tenants were provisioned in time");
                    }
                } finally {
                    engine.close();
                }
            }
            write(s, plan, endedAt, provisionedAt, db.description(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fake AWX", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            timer.shutdownNow();
        }
    }

    private static List<Planned> plan(Settings s) {
        Random random = new Random(SEED);
        List<Planned> plan = new ArrayList<>();
        long min = s.minRun().toMillis();
        long span = Math.max(1, s.maxRun().toMillis() - min);
        for (int i = 0; i < s.jobsPerGroup(); i++) {
            for (Group g : Group.values()) {
                plan.add(new Planned("lat-" + plan.size(), g, min + (long) (random.nextDouble() * span)));
            }
        }
        return plan;
    }

    private static String awaitRun(TenantProvisioner engine, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProvisioningJob> job = engine.job(jobId);
            if (job.isPresent() && job.get().runId() != null) {
                return job.get().runId();
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("job " + jobId + " was not launched within a minute");
    }

    /**
     * Ends the AWX job after its run time and sends its group's callback: a direct call of {@code acceptCallback},
     * or a real HTTP POST to the {@link CallbackEndpoint}. A failed callback is added to {@code failures}.
     */
    private static void schedule(ScheduledExecutorService timer, TenantProvisioner engine, CallbackEndpoint endpoint,
            FakeAwx fake, Planned p, String jobId, long awxJobId, Duration lead, Map<String, Long> endedAt,
            List<String> failures) {
        CallbackReport report = new CallbackReport("successful", String.valueOf(awxJobId), Map.of());
        String token = engine.callbackToken(jobId);
        Runnable send = p.group().http
                ? () -> {
                    int status = endpoint.post(p.tenantId(), jobId, token, awxJobId);
                    if (status != 204) {
                        throw new IllegalStateException("HTTP " + status);
                    }
                }
                : () -> engine.acceptCallback(jobId, token, report);
        Runnable callback = () -> {
            try {
                send.run();
            } catch (RuntimeException e) {
                failures.add(jobId + ": " + e);
            }
        };
        timer.schedule(() -> {
            fake.forceStatus(awxJobId, "successful");
            endedAt.put(p.tenantId(), System.nanoTime());
            if (p.group().atEnd) {
                callback.run();
            }
        }, p.runMillis(), TimeUnit.MILLISECONDS);
        if (p.group().beforeEnd) {
            timer.schedule(callback, Math.max(0, p.runMillis() - lead.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private static TenantDirectory recording(TenantDirectory target, Map<String, Long> provisionedAt) {
        return new TenantDirectory() {
            @Override
            public Optional<Tenant> find(String tenantId) {
                return target.find(tenantId);
            }

            @Override
            public void applyStatus(String tenantId, String status, TenantStatusChange change) {
                target.applyStatus(tenantId, status, change);
                if (status.equals(TenantStatus.PROVISIONED)) {
                    provisionedAt.putIfAbsent(tenantId, System.nanoTime());
                }
            }
        };
    }

    private static void write(Settings s, List<Planned> plan, Map<String, Long> endedAt,
            Map<String, Long> provisionedAt, String database, Report report) {
        report.heading(3, "Detection latency: AWX job ended → tenant provisioned");
        report.line("Real time. One engine (default scheduler, %s, AWX runner against the fake AWX), poll interval "
                + "%d s, sweep interval %d s; %d jobs per group, run times uniform in %d-%d s; the early callback "
                + "comes %d ms before the AWX job ends.", database, s.pollInterval().toSeconds(),
                s.sweepInterval().toSeconds(), s.jobsPerGroup(), s.minRun().toSeconds(), s.maxRun().toSeconds(),
                s.callbackLead().toMillis());
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        for (Group g : Group.values()) {
            List<Double> millis = new ArrayList<>();
            for (Planned p : plan) {
                if (p.group() == g) {
                    long provisioned = Objects.requireNonNull(provisionedAt.get(p.tenantId()), "all were provisioned");
                    long ended = Objects.requireNonNull(endedAt.get(p.tenantId()), "every run ended first");
                    millis.add((provisioned - ended) / 1e6);
                }
            }
            Stats st = Stats.of(millis);
            rows.add(List.of(g.words, Report.num(st.median(), 0), Report.num(st.mean(), 0),
                    Report.num(st.percentile(90), 0), Report.num(st.max(), 0), Report.num(st.min(), 0)));
        }
        report.table(List.of("group", "median ms", "mean ms", "p90 ms", "max ms", "min ms"), rows);
        report.line("\"Direct call\": the benchmark calls TenantProvisioner.acceptCallback itself, so the figure "
                + "leaves out HTTP. \"Over HTTP\": the benchmark POSTs the callback's JSON body with the job's bearer token "
                + "(JDK HttpClient, HTTP/1.1, a new or pooled loopback connection) to a JDK HttpServer in this JVM "
                + "that does what the Spring starter's controller does (token check, job lookup, acceptCallback, 204; "
                + "warmed up by one refused request before the jobs); Spring MVC's own overhead is not in it. "
                + "One run; the groups share one engine and run at the same time.");
        report.line("Expected with polling alone: the end falls uniformly within a poll interval, and the due "
                + "check waits for the next sweep: mean about p/2 + s/2 = %.1f s, at most about p + s = %d s.",
                (s.pollInterval().toMillis() + s.sweepInterval().toMillis()) / 2000.0,
                s.pollInterval().plus(s.sweepInterval()).toSeconds());
    }
}

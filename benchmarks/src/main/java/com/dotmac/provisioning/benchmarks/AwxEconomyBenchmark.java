package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.CallbackReport;
import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.benchmarks.support.AwxRequestCounter;
import com.dotmac.provisioning.benchmarks.support.Completions;
import com.dotmac.provisioning.benchmarks.support.Report;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * AWX request economy: {@code jobs} concurrent jobs against one {@link FakeAwx} whose jobs run {@code runTime}, poll
 * interval {@code p}: the AWX requests per job of the engine ({@code AwxAutomationRunner}, counted by its request
 * listener and by the fake) beside a {@link PerJobPollingClient} (one {@code GET jobs/{id}/} per job per interval,
 * as the original design polled), in the same run against the same fake. Time is virtual: one clock drives the
 * engine, the fake and the per-job client, stepped by the sweep interval, so the run takes seconds, not
 * {@code runTime}. Two arrival patterns: all jobs at once (a fleet-wide upgrade) and spread evenly over one poll
 * interval (steady traffic).
 *
 * <p>With {@code callbackSafetyPolls} set, each row is also run with callbacks on, once per safety-poll setting
 * ({@code callbackSafetyPollEvery}) and callback order: each AWX job's callback is accepted at the moment it ends
 * (the callback at the end: what the run ends with), either all callbacks of one step of virtual time before the
 * scheduler runs (they share their poll, as callbacks arriving together do) or the scheduler after each one (no two
 * share a poll: the worst case, as on a quiet system). A fresh fake AWX per such run.
 */
public final class AwxEconomyBenchmark {
    private static final int POLL_THREADS = 4;
    private static final byte[] SECRET = "benchmark-economy-callback-0123456789abcdef"
            .getBytes(StandardCharsets.UTF_8);

    /**
     * @param jobs concurrent jobs
     * @param runTime how long each AWX job runs
     * @param pollIntervals the poll intervals to measure
     * @param sweepInterval the engine's sweep interval (and the step of virtual time)
     * @param callbackSafetyPolls the {@code callbackSafetyPollEvery} settings to measure with callbacks on (none:
     *     no callback runs)
     */
    public record Settings(int jobs, Duration runTime, List<Duration> pollIntervals, Duration sweepInterval,
            List<Integer> callbackSafetyPolls) {
        /** Copies the list. */
        public Settings {
            callbackSafetyPolls = List.copyOf(callbackSafetyPolls);
        }

        /**
         * Without callback runs.
         *
         * @param jobs concurrent jobs
         * @param runTime how long each AWX job runs
         * @param pollIntervals the poll intervals to measure
         * @param sweepInterval the engine's sweep interval
         */
        public Settings(int jobs, Duration runTime, List<Duration> pollIntervals, Duration sweepInterval) {
            this(jobs, runTime, pollIntervals, sweepInterval, List.of());
        }
    }

    /** When the scheduler runs the work the callbacks of one step of virtual time asked for. */
    enum CallbackOrder {
        /** after all of them: they share their poll */
        TOGETHER("callbacks of a step together"),
        /** after each one: no two share a poll */
        ONE_BY_ONE("scheduler after each callback");

        final String words;

        CallbackOrder(String words) {
            this.words = words;
        }
    }

    /**
     * The engine with callbacks on.
     *
     * @param safetyPollEvery its {@code callbackSafetyPollEvery}
     * @param order when the scheduler runs after callbacks
     * @param engine its requests
     */
    record CallbackRun(int safetyPollEvery, CallbackOrder order, Requests engine) {
    }

    /**
     * How the engine runs with callbacks on.
     *
     * @param safetyPollEvery its {@code callbackSafetyPollEvery}
     * @param order when the scheduler runs after callbacks
     */
    private record CallbackMode(int safetyPollEvery, CallbackOrder order) {
    }

    /** When the jobs are requested. */
    enum Arrival {
        /** all at the start */
        AT_ONCE("all at once"),
        /** evenly over one poll interval */
        SPREAD("spread over one poll interval");

        final String words;

        Arrival(String words) {
            this.words = words;
        }
    }

    /**
     * One client's requests.
     *
     * @param total requests the client counted
     * @param serverSide requests the fake received while the client ran
     * @param byKind requests by kind
     * @param steadyPerMinute requests per minute while every job was running
     */
    record Requests(long total, long serverSide, Map<String, Long> byKind, double steadyPerMinute) {
    }

    /**
     * @param pollInterval p
     * @param arrival the arrival pattern
     * @param engine the engine's requests
     * @param perJob the per-job client's requests
     * @param withCallbacks the engine with callbacks on, one per safety-poll setting and callback order
     */
    record Result(Duration pollInterval, Arrival arrival, Requests engine, Requests perJob,
            List<CallbackRun> withCallbacks) {
    }

    /**
     * @param settings the sizes
     * @param report where the figures go
     * @return one result per poll interval and arrival pattern
     */
    public List<Result> run(Settings settings, Report report) {
        List<Result> results = new ArrayList<>();
        for (Duration p : settings.pollIntervals()) {
            for (Arrival arrival : Arrival.values()) {
                results.add(runOne(settings, p, arrival));
            }
        }
        write(settings, results, report);
        return results;
    }

    private Result runOne(Settings settings, Duration p, Arrival arrival) {
        MutableClock clock = MutableClock.atFixedStart();
        try (FakeAwx fake = new FakeAwx()) {
            fake.clock(clock).defaultScript(RunScript.hang());
            fake.start();
            Requests engine = engineSide(settings, p, arrival, fake, clock, null);
            Requests perJob = perJobSide(settings, p, arrival, fake, clock);
            List<CallbackRun> withCallbacks = new ArrayList<>();
            for (int every : settings.callbackSafetyPolls()) {
                for (CallbackOrder order : CallbackOrder.values()) {
                    withCallbacks.add(callbackRun(settings, p, arrival, every, order));
                }
            }
            return new Result(p, arrival, engine, perJob, withCallbacks);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fake AWX", e);
        }
    }

    private static CallbackRun callbackRun(Settings settings, Duration p, Arrival arrival, int every,
            CallbackOrder order) throws IOException {
        MutableClock clock = MutableClock.atFixedStart();
        try (FakeAwx fake = new FakeAwx()) {
            fake.clock(clock).defaultScript(RunScript.hang());
            fake.start();
            return new CallbackRun(every, order, engineSide(settings, p, arrival, fake, clock,
                    new CallbackMode(every, order)));
        }
    }

    private static List<Instant> arrivals(Settings s, Duration p, Arrival arrival, Instant start) {
        List<Instant> at = new ArrayList<>(s.jobs());
        for (int i = 0; i < s.jobs(); i++) {
            at.add(arrival == Arrival.AT_ONCE ? start : start.plus(p.multipliedBy(i).dividedBy(s.jobs())));
        }
        return at;
    }

    private static Requests engineSide(Settings s, Duration p, Arrival arrival, FakeAwx fake, MutableClock clock,
            @Nullable CallbackMode callbacks) {
        AwxRequestCounter counter = new AwxRequestCounter();
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
        for (int i = 0; i < s.jobs(); i++) {
            tenants.put("e-" + i, "e-" + i, "pending");
        }
        ManualScheduler scheduler = new ManualScheduler();
        Completions completions = new Completions();
        RunEnder ender = new RunEnder(fake, s.runTime());
        fake.clearCalls();
        long serverSide = 0;
        RateWindow window = new RateWindow();
        try (AwxAutomationRunner runner = new AwxAutomationRunner(fake.configBuilder().requestListener(counter)
                .build(), AwxAutomationRunner.Sleeper.THREAD_SLEEP, clock)) {
            TenantProvisioner.Builder builder = TenantProvisioner.builder()
                    .repository(new InMemoryJobRepository()).tenantDirectory(tenants).runner(runner)
                    .scheduler(scheduler).clock(clock).nodeId("bench-awx")
                    .pollInterval(p).sweepInterval(s.sweepInterval()).jobTimeout(Duration.ofHours(2))
                    .listener(completions);
            if (callbacks != null) {
                builder.callback(new CallbackSettings("https://platform.example.com/api/v1/tenants/{tenant_id}/"
                        + "provisioning/jobs/{job_id}/callback", SECRET))
                        .callbackSafetyPollEvery(callbacks.safetyPollEvery());
            }
            TenantProvisioner engine = builder.build();
            CallingBack callingBack = callbacks == null ? null : new CallingBack(engine, fake, scheduler,
                    callbacks.order());
            engine.start();
            List<Instant> arrivals = arrivals(s, p, arrival, clock.instant());
            Instant end = clock.instant().plus(s.runTime()).plus(p.multipliedBy(10));
            int next = 0;
            while (completions.completed() < s.jobs()) {
                while (next < arrivals.size() && !arrivals.get(next).isAfter(clock.instant())) {
                    engine.request(ProvisioningRequest.provision("e-" + next, DeploymentMode.DOTMAC_HOSTED));
                    next++;
                }
                scheduler.runPending();
                ender.noteLaunches(clock.instant());
                clock.advance(s.sweepInterval());
                List<Long> ended = ender.endDue(clock.instant());
                if (callingBack != null) {
                    callingBack.callBack(ended);
                }
                engine.sweepNow();
                scheduler.runPending();
                ender.noteLaunches(clock.instant());
                serverSide += fake.calls().size();
                fake.clearCalls();
                window.note(clock.instant(), counter.total());
                if (clock.instant().isAfter(end)) {
                    throw new IllegalStateException("engine: " + completions.completed() + " of " + s.jobs()
                            + " jobs finished by " + end);
                }
            }
            engine.close();
            if (completions.completed(JobStatus.SUCCEEDED) != s.jobs()) {
                throw new IllegalStateException("engine: not every job succeeded");
            }
            Instant steadyFrom = arrivals.get(arrivals.size() - 1).plus(p);
            return new Requests(counter.total(), serverSide, counter.byEndpoint(),
                    window.perMinute(steadyFrom, arrivals.get(0).plus(s.runTime())));
        }
    }

    private static Requests perJobSide(Settings s, Duration p, Arrival arrival, FakeAwx fake, MutableClock clock) {
        record Poll(Instant at, long awxJobId) {
        }
        RunEnder ender = new RunEnder(fake, s.runTime());
        ender.noteLaunches(clock.instant());
        fake.clearCalls();
        long serverSide = 0;
        RateWindow window = new RateWindow();
        PriorityQueue<Poll> polls = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
        ExecutorService pool = Executors.newFixedThreadPool(POLL_THREADS);
        try (PerJobPollingClient client = new PerJobPollingClient(fake.baseUrl() + fake.apiPath().substring(1),
                FakeAwx.TOKEN)) {
            List<Instant> arrivals = arrivals(s, p, arrival, clock.instant());
            Instant end = clock.instant().plus(s.runTime()).plus(p.multipliedBy(10));
            int next = 0;
            int done = 0;
            while (done < s.jobs()) {
                while (next < arrivals.size() && !arrivals.get(next).isAfter(clock.instant())) {
                    String jobId = UUID.randomUUID().toString();
                    long awxJobId = client.launch(FakeAwx.PROVISION_TEMPLATE, Map.of(
                            PlaybookVariables.PROVISIONING_JOB_ID, jobId, PlaybookVariables.TENANT_ID, "o-" + next,
                            PlaybookVariables.TENANT_SLUG, "o-" + next, PlaybookVariables.DEPLOYMENT_MODE,
                            "dotmac_hosted"));
                    polls.add(new Poll(clock.instant().plus(p), awxJobId));
                    next++;
                }
                ender.noteLaunches(clock.instant());
                clock.advance(s.sweepInterval());
                ender.endDue(clock.instant());
                List<Poll> due = new ArrayList<>();
                while (!polls.isEmpty() && !polls.peek().at().isAfter(clock.instant())) {
                    due.add(polls.poll());
                }
                List<Future<Boolean>> answers = new ArrayList<>();
                for (Poll poll : due) {
                    answers.add(pool.submit(() -> client.isFinal(poll.awxJobId())));
                }
                for (int i = 0; i < due.size(); i++) {
                    if (answers.get(i).get()) {
                        done++;
                    } else {
                        polls.add(new Poll(due.get(i).at().plus(p), due.get(i).awxJobId()));
                    }
                }
                serverSide += fake.calls().size();
                fake.clearCalls();
                window.note(clock.instant(), client.launches() + client.polls());
                if (clock.instant().isAfter(end)) {
                    throw new IllegalStateException("per-job client: " + done + " of " + s.jobs() + " finished");
                }
            }
            Instant steadyFrom = arrivals.get(arrivals.size() - 1).plus(p);
            return new Requests(client.launches() + client.polls(), serverSide,
                    Map.of("POST job_templates/{id}/launch/", client.launches(), "GET jobs/{id}/", client.polls()),
                    window.perMinute(steadyFrom, arrivals.get(0).plus(s.runTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a poll failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends the callbacks of the AWX jobs that ended, as their playbooks' last task would. */
    private static final class CallingBack {
        private final TenantProvisioner engine;
        private final FakeAwx fake;
        private final ManualScheduler scheduler;
        private final CallbackOrder order;
        private final Map<Long, String> jobOfAwxJob = new HashMap<>();
        private int launchesSeen;

        CallingBack(TenantProvisioner engine, FakeAwx fake, ManualScheduler scheduler, CallbackOrder order) {
            this.engine = engine;
            this.fake = fake;
            this.scheduler = scheduler;
            this.order = order;
        }

        void callBack(List<Long> endedAwxJobs) {
            var launches = fake.launches();
            for (int i = launchesSeen; i < launches.size(); i++) {
                if (launches.get(i).jobId() != null) {
                    jobOfAwxJob.put(launches.get(i).jobId(), String.valueOf(launches.get(i).extraVars()
                            .get(PlaybookVariables.PROVISIONING_JOB_ID)));
                }
            }
            launchesSeen = launches.size();
            for (long awxJobId : endedAwxJobs) {
                String jobId = jobOfAwxJob.get(awxJobId);
                if (jobId == null) {
                    throw new IllegalStateException("AWX job " + awxJobId + " was not launched by the engine");
                }
                engine.acceptCallback(jobId, engine.callbackToken(jobId),
                        new CallbackReport("successful", String.valueOf(awxJobId), Map.of()));
                if (order == CallbackOrder.ONE_BY_ONE) {
                    scheduler.runPending();
                }
            }
            scheduler.runPending();
        }
    }

    /** Cumulative request counts over virtual time, to read a rate over a window. */
    private static final class RateWindow {
        private final List<Instant> times = new ArrayList<>();
        private final List<Long> totals = new ArrayList<>();

        void note(Instant at, long total) {
            times.add(at);
            totals.add(total);
        }

        double perMinute(Instant from, Instant to) {
            long a = -1;
            long b = -1;
            Instant ta = null;
            Instant tb = null;
            for (int i = 0; i < times.size(); i++) {
                if (ta == null && !times.get(i).isBefore(from)) {
                    ta = times.get(i);
                    a = totals.get(i);
                }
                if (!times.get(i).isAfter(to)) {
                    tb = times.get(i);
                    b = totals.get(i);
                }
            }
            if (ta == null || tb == null || !tb.isAfter(ta)) {
                return Double.NaN;
            }
            return (b - a) * 60.0 / Duration.between(ta, tb).toSeconds();
        }
    }

    private static void write(Settings s, List<Result> results, Report report) {
        report.heading(3, "AWX request economy");
        report.line("%d concurrent jobs against one fake AWX; each AWX job runs %d s; sweep interval %d s. Engine: "
                + "AwxAutomationRunner (requests counted by its request listener; the fake's own count beside it). "
                + "Per-job client: POST launch, then GET jobs/{id}/ per job every poll interval (the original "
                + "design). Same fake, same virtual clock, one after the other.", s.jobs(),
                s.runTime().toSeconds(), s.sweepInterval().toSeconds());
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            rows.add(List.of(r.pollInterval().toSeconds() + " s", r.arrival().words,
                    Report.num(r.engine().total() / (double) s.jobs(), 3),
                    Report.num(r.perJob().total() / (double) s.jobs(), 3),
                    Report.num(r.perJob().total() / (double) r.engine().total(), 1),
                    Report.num(r.engine().steadyPerMinute(), 1), Report.num(r.perJob().steadyPerMinute(), 1),
                    r.engine().serverSide() + " / " + r.perJob().serverSide()));
        }
        report.table(List.of("poll interval", "arrivals", "engine requests per job", "per-job client requests per job",
                "per-job / engine", "engine requests/min while all run", "per-job requests/min while all run",
                "requests the fake saw (engine / per-job)"), rows);
        for (Result r : results) {
            report.line("- p = %d s, %s: engine %s; per-job client %s", r.pollInterval().toSeconds(),
                    r.arrival().words, perJob(r.engine().byKind(), s.jobs()), perJob(r.perJob().byKind(), s.jobs()));
        }
        report.line("");
        writeCallbacks(s, results, report);
        report.line("One run per row. These are counts, not timings: time is virtual (one clock stepped by the sweep "
                + "interval, the engine on a manual scheduler), so the requests, their ratio and the requests per "
                + "minute are the same in every run (HarnessSmokeTest checks two runs agree; AwxRequestsGuardTest "
                + "pins the engine's counts at a small size). No spread is given because there is none.");
    }

    private static void writeCallbacks(Settings s, List<Result> results, Report report) {
        if (s.callbackSafetyPolls().isEmpty()) {
            return;
        }
        report.line("With callbacks on (each AWX job calls back at the moment it ends; a fresh fake per run). "
                + "callbackSafetyPollEvery 1 polls every interval, as before issue 19 (the engine before it polled "
                + "each callback's run in a runner call of its own: the order 'scheduler after each callback').");
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            for (CallbackRun c : r.withCallbacks()) {
                rows.add(List.of(r.pollInterval().toSeconds() + " s", r.arrival().words,
                        String.valueOf(c.safetyPollEvery()), c.order().words,
                        Report.num(c.engine().total() / (double) s.jobs(), 3),
                        Report.num(r.engine().total() / (double) s.jobs(), 3),
                        perJob(c.engine().byKind(), s.jobs())));
            }
        }
        report.table(List.of("poll interval", "arrivals", "callbackSafetyPollEvery", "callback order",
                "engine requests per job with callbacks", "same without callbacks", "by kind, per job"), rows);
        report.line("");
    }

    private static String perJob(Map<String, Long> byKind, int jobs) {
        List<String> parts = new ArrayList<>();
        byKind.forEach((k, v) -> parts.add(k + " " + Report.num(v / (double) jobs, 3)));
        return String.join(", ", parts);
    }
}

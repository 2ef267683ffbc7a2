package com.dotmac.provisioning.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ErrorCodes;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.awx.AwxErrorCodes;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.reliability.support.CapturedLogs;
import com.dotmac.provisioning.reliability.support.Launches;
import com.dotmac.provisioning.reliability.support.Schema;
import com.dotmac.provisioning.reliability.support.SteppedEngine;
import com.dotmac.provisioning.state.TenantStatusRules;
import com.dotmac.provisioning.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The AWX fault matrix (issue 8): each fault the runner can meet, on launch and on poll, and the job outcome and
 * operator message it must lead to. Transient faults are recovered within the retry budget (the job succeeds, its
 * timeline says what happened); permanent ones fail the job at once with the runner's error code and a message
 * that says what to fix. {@link #run} executes one case on a fresh fake AWX and a {@link SteppedEngine}.
 */
public final class FaultMatrix {
    /** The runner's read timeout in cases that stall answers on purpose; each stall costs this much wall time. */
    public static final Duration STALL_TIMEOUT = Duration.ofMillis(500);
    private static final String LAUNCH = "job_templates/\\d+/launch/";
    private static final String POLL = "jobs/";
    private static final AtomicInteger TENANTS = new AtomicInteger();

    private FaultMatrix() {
    }

    /** How the runner authenticates to AWX, and what the fake demands. */
    public interface Auth {
        /** @param awx the fake @param config the runner's configuration */
        void apply(FakeAwx awx, AwxConfig.Builder config);

        /** @return the fake's own token */
        static Auth token() {
            return token(FakeAwx.TOKEN);
        }

        /** @param token a token @return Bearer authentication with it */
        static Auth token(String token) {
            return (awx, config) -> {
                awx.requireToken(token);
                config.token(token);
            };
        }

        /** @param user a user @param password a password @return Basic authentication */
        static Auth basic(String user, String password) {
            return (awx, config) -> {
                awx.requireBasic(user, password);
                config.basicAuth(user, password);
            };
        }
    }

    /**
     * Runs one case: a fresh fake AWX (on the engine's clock), a fresh engine on {@code db}, a fresh tenant.
     *
     * @param db the schema (with tables)
     * @param c the case
     * @param auth how the runner authenticates
     * @param callback callback settings, or null
     * @return what came of it (already checked by the case)
     */
    public static FaultCase.Outcome run(Schema db, FaultCase c, Auth auth, CallbackSettings callback) {
        MutableClock clock = MutableClock.atFixedStart();
        FakeAwx awx = new FakeAwx().clock(clock);
        try {
            awx.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AwxConfig.Builder config = awx.configBuilder().readTimeout(c.readTimeout()).maxRetries(2);
        auth.apply(awx, config);
        c.beforeRequest().accept(awx);
        String tenant = "fault-" + TENANTS.incrementAndGet();
        db.insertTenant(tenant, "new");
        int logsBefore = CapturedLogs.lines().size();
        try (awx; SteppedEngine engine = new SteppedEngine(db, config.build(), callback, clock)) {
            ProvisioningJob job = engine.request(ProvisioningRequest.builder(tenant)
                    .deploymentMode(DeploymentMode.DOTMAC_HOSTED).extraVar("plan", "gold")
                    .requestedBy("fault-matrix").build());
            if (c.afterLaunch() != null) {
                engine.stepUntil(job.id(), SteppedEngine.launched(), 100);
                c.afterLaunch().accept(awx);
            }
            ProvisioningJob settled = engine.stepUntil(job.id(), SteppedEngine.settled(), c.maxSteps()).job();
            List<String> logs = CapturedLogs.lines();
            FaultCase.Outcome outcome = new FaultCase.Outcome(settled, engine.provisioner().events(job.id()),
                    Launches.runsByJob(awx).getOrDefault(job.id(), List.of()), awx,
                    logs.subList(Math.min(logsBefore, logs.size()), logs.size()), db.tenantStatus(tenant));
            assertThat(outcome.tenantStatus()).as("tenant status after %s", c.name())
                    .isEqualTo(TenantStatusRules.tenantStatusFor(Operation.PROVISION, settled.status()));
            try {
                c.expect().accept(outcome);
            } catch (AssertionError e) {
                throw new AssertionError(c.name() + ": " + e.getMessage() + "\nAWX calls:\n" + awx.calls().stream()
                        .map(call -> "  " + call).collect(java.util.stream.Collectors.joining("\n"))
                        + "\ntimeline:\n" + outcome.events().stream().map(ev -> "  " + ev.type().wireName() + " "
                        + ev.message()).collect(java.util.stream.Collectors.joining("\n")), e);
            }
            return outcome;
        }
    }

    /** @return every case of the matrix */
    public static List<FaultCase> cases() {
        List<FaultCase> cases = new ArrayList<>();
        transientFaults(cases);
        lostLaunchAnswers(cases);
        permanentFaults(cases);
        runOutcomes(cases);
        outages(cases);
        return cases;
    }

    private static void transientFaults(List<FaultCase> cases) {
        record Transient(String name, Fault fault, String code, String... says) {
            Duration readTimeout() {
                return code.equals(AwxErrorCodes.TIMEOUT) ? STALL_TIMEOUT : FaultCase.DEFAULT_READ_TIMEOUT;
            }
        }
        List<Transient> faults = List.of(
                new Transient("500", Fault.status(500), AwxErrorCodes.UNAVAILABLE, "AWX answered 500",
                        "A server error has occurred"),
                new Transient("502", Fault.status(502), AwxErrorCodes.UNAVAILABLE, "AWX answered 502"),
                new Transient("503", Fault.status(503), AwxErrorCodes.UNAVAILABLE, "AWX answered 503",
                        "Service Unavailable"),
                new Transient("429 with Retry-After", Fault.tooManyRequests(120), AwxErrorCodes.RATE_LIMITED,
                        "AWX answered 429 Too Many Requests", "retry after 120 s"),
                new Transient("connection reset", Fault.connectionReset(), AwxErrorCodes.UNREACHABLE,
                        "could not reach AWX for"),
                new Transient("read timeout", Fault.readTimeout(), AwxErrorCodes.TIMEOUT, "did not answer",
                        "in time (read timeout " + STALL_TIMEOUT.toMillis() + " ms)"),
                new Transient("302 to an HTML page", Fault.redirectToHtml(), AwxErrorCodes.REDIRECTED,
                        "AWX redirected", "to /maintenance.html", "being upgraded or in maintenance"),
                new Transient("200 with an HTML page", Fault.htmlPage(), AwxErrorCodes.NOT_JSON, "text/html instead of"
                        + " JSON", "a proxy, login or maintenance page is in front of AWX"),
                new Transient("malformed JSON", Fault.malformedJson(), AwxErrorCodes.MALFORMED_RESPONSE,
                        "with malformed JSON"));
        for (Transient t : faults) {
            cases.add(new FaultCase(t.name + " on launch", awx -> awx.failNext(1, t.fault, "POST", LAUNCH), null, 120,
                    t.readTimeout(), o -> {
                        recovered(o, 2, t.readTimeout());
                        JobEvent retry = event(o, JobEventType.LAUNCH_RETRY_SCHEDULED);
                        assertThat(retry.message()).as("the retry's reason")
                                .startsWith("launch failed: ").contains("POST /api/v2/job_templates/14/launch/")
                                .contains(t.says);
                        assertThat(retry.data()).containsEntry("error_code", t.code);
                        if (t.fault.toString().startsWith("429")) {
                            assertThat(Instant.parse(String.valueOf(retry.data().get("retry_at"))))
                                    .as("the retry waits for Retry-After")
                                    .isAfterOrEqualTo(retry.at().plusSeconds(120));
                        }
                    }));
            // more faults than the runner's own retries (and OkHttp's silent retry of a reset connection) absorb, so
            // that the engine's poll fails; 429 with a long Retry-After is not retried inside the runner at all
            int pollFaults = t.code.equals(AwxErrorCodes.RATE_LIMITED) ? 1 : 6;
            cases.add(new FaultCase(t.name + " on poll", awx -> { },
                    awx -> awx.failNext(pollFaults, t.fault, "GET", POLL), 120, t.readTimeout(), o -> {
                        recovered(o, 1, t.readTimeout());
                        assertThat(o.logs()).as("what the operator reads in the log").anySatisfy(line ->
                                assertThat(line).contains("could not poll 1 run(s) (" + t.code + " ")
                                        .contains("GET /api/v2/jobs/").contains(t.says));
                    }));
        }
    }

    private static void lostLaunchAnswers(List<FaultCase> cases) {
        for (Fault fault : List.of(Fault.status(502).afterProcessing(), Fault.readTimeout().afterProcessing())) {
            cases.add(new FaultCase(fault + " on launch (AWX started the run, the answer is lost)",
                    awx -> awx.failNext(1, fault, "POST", LAUNCH), null, 120, STALL_TIMEOUT, o -> {
                        // attempt 1 started the run but its answer was lost; attempt 2 looks and finds it
                        recovered(o, 2, STALL_TIMEOUT);
                        assertThat(o.events()).as("the run is found again, not launched twice").anySatisfy(e ->
                                assertThat(e.message()).isEqualTo("found run " + o.job().runId()
                                        + " started by an earlier launch attempt"));
                    }));
        }
    }

    private static void permanentFaults(List<FaultCase> cases) {
        // permanent faults stay (a wrong token stays wrong)
        cases.add(launchRefused("401", awx -> awx.failNext(Integer.MAX_VALUE, Fault.unauthorized(), "POST", LAUNCH),
                AwxErrorCodes.UNAUTHORIZED, "AWX refused the credentials (401) for POST "
                        + "/api/v2/job_templates/14/launch/", "; set ", "valid AWX")); // token or password, by mode
        cases.add(launchRefused("403", awx -> awx.failNext(Integer.MAX_VALUE, Fault.forbidden(), "POST", LAUNCH),
                AwxErrorCodes.FORBIDDEN, "AWX denied POST /api/v2/job_templates/14/launch/", "lacks the permission",
                "You do not have permission to perform this action."));
        cases.add(launchRefused("unknown job template", awx -> awx.removeTemplate(FakeAwx.PROVISION_TEMPLATE),
                AwxErrorCodes.NOT_FOUND, "AWX has no job template 14",
                "check the job template configured for provision (dotmac_hosted)"));
        cases.add(launchRefused("400 with AWX's field messages", awx -> awx.template(FakeAwx.PROVISION_TEMPLATE)
                .rejectLaunchesWith("{\"variables_needed_to_start\": [\"'region' value missing\"]}"),
                AwxErrorCodes.LAUNCH_REJECTED, "AWX rejected the launch of job template 14: "
                        + "variables_needed_to_start: 'region' value missing"));
        cases.add(new FaultCase("ignored_fields (template does not prompt for variables)",
                awx -> awx.template(FakeAwx.PROVISION_TEMPLATE).askVariablesOnLaunch(false), null, 20, o -> {
                    failed(o, AwxErrorCodes.IGNORED_FIELDS, "job template 14 dropped launch fields the job needs",
                            "enable 'Prompt on launch' for Variables (ask_variables_on_launch) on job template 14",
                            "(it was cancelled)");
                    assertThat(o.runs()).as("the run AWX started without the variables").hasSize(1);
                    assertThat(o.awx().job(o.runs().get(0).jobId()).orElseThrow().cancelRequested())
                            .as("that run is cancelled").isTrue();
                }));
    }

    private static void runOutcomes(List<FaultCase> cases) {
        cases.add(new FaultCase("job vanishes from AWX", awx -> awx.defaultScript(RunScript.vanishAfter(1)), null, 60,
                o -> {
                    failed(o, ErrorCodes.RUN_LOST, "no longer exists in the automation service",
                            "AWX has no job " + o.job().runId() + " (deleted, or removed by a cleanup schedule)");
                    assertThat(o.runs()).hasSize(1);
                }));
        cases.add(new FaultCase("a task fails", awx -> awx.defaultScript(RunScript.failAfter(1, "Start tenant stack",
                "dc1-node-3", "docker compose up failed")), null, 60, o -> failed(o, ErrorCodes.RUN_FAILED,
                "task 'Start tenant stack' failed on host dc1-node-3: docker compose up failed")));
        cases.add(new FaultCase("AWX error status", awx -> awx.defaultScript(RunScript.finishAfter(1, "error")
                .withExplanation("Job terminated due to error: the execution node went away")), null, 60,
                o -> failed(o, ErrorCodes.RUN_ERROR, "the execution node went away")));
        cases.add(new FaultCase("run cancelled in the AWX UI", awx -> awx.defaultScript(RunScript.finishAfter(1,
                "canceled")), null, 60, o -> assertEnded(o, JobStatus.CANCELLED, ErrorCodes.RUN_CANCELLED_EXTERNALLY,
                "was cancelled outside the platform")));
        cases.add(new FaultCase("run hangs past the job timeout", awx -> awx.defaultScript(RunScript.hang()), null, 400,
                o -> {
                    assertEnded(o, JobStatus.TIMED_OUT, ErrorCodes.TIMED_OUT, "timed out after PT10M; run "
                            + o.job().runId() + " was cancelled");
                    assertThat(o.awx().job(Long.parseLong(String.valueOf(o.job().runId()))).orElseThrow().status())
                            .isEqualTo("canceled");
                }));
    }

    private static void outages(List<FaultCase> cases) {
        cases.add(new FaultCase("AWX down (503) for longer than the job timeout, after the launch", awx -> { },
                awx -> awx.failNext(Integer.MAX_VALUE, Fault.status(503)), 400, o -> {
                    assertEnded(o, JobStatus.TIMED_OUT, ErrorCodes.TIMED_OUT, "timed out after PT10M",
                            "the runner did not confirm within PT2M that run " + o.job().runId() + " stopped",
                            "check it in the automation service");
                    event(o, JobEventType.DEADLINE_PASSED);
                }));
        cases.add(new FaultCase("AWX refuses every launch (503) for longer than the launch attempts",
                awx -> awx.failNext(Integer.MAX_VALUE, Fault.status(503), "POST", LAUNCH), null, 400, o -> {
                    failed(o, ErrorCodes.LAUNCH_ATTEMPTS_EXHAUSTED, "gave up after " + SteppedEngine.LAUNCH_ATTEMPTS
                            + " launch attempts; last: launch failed: AWX answered 503 to POST "
                            + "/api/v2/job_templates/14/launch/", "Service Unavailable");
                    assertThat(o.runs()).isEmpty();
                }));
        // every later attempt fails to look for an earlier run; that must count as an attempt too (it did not: the
        // job stayed queued for good, until the engine was fixed)
        cases.add(new FaultCase("AWX down (503 to everything) for longer than the launch attempts",
                awx -> awx.failNext(Integer.MAX_VALUE, Fault.status(503)), null, 400, o -> {
                    failed(o, ErrorCodes.LAUNCH_ATTEMPTS_EXHAUSTED, "gave up after " + SteppedEngine.LAUNCH_ATTEMPTS
                            + " launch attempts; last: ", "AWX answered 503");
                    assertThat(o.runs()).isEmpty();
                }));
    }

    private static FaultCase launchRefused(String name, Consumer<FakeAwx> setup, String code, String... says) {
        return new FaultCase(name + " on launch", setup, null, 20, o -> {
            failed(o, code, says);
            assertThat(o.job().retryCount()).as("a permanent fault is not retried").isEqualTo(1);
            assertThat(o.runs()).isEmpty();
        });
    }

    /**
     * A job that recovered: succeeded with one run, after exactly {@code launchAttempts} launch attempts (the engine's
     * retry count: the first attempt, and one per scheduled retry; an attempt that finds the run an earlier one
     * started counts too). A case that stalls answers runs with a short read timeout for every request, so a busy
     * machine may time out one more request than the case injects; such a retry is only accepted when the timeline
     * shows it (a scheduled retry with the timeout's error code), and the count must then be exactly one higher per
     * such retry, never otherwise.
     */
    private static void recovered(FaultCase.Outcome o, int launchAttempts, Duration readTimeout) {
        assertThat(o.job().status()).as("%s", o.job().errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        List<JobEvent> retries = o.events().stream().filter(e -> e.type() == JobEventType.LAUNCH_RETRY_SCHEDULED)
                .toList();
        List<JobEvent> unasked = retries.subList(Math.min(launchAttempts - 1, retries.size()), retries.size());
        if (readTimeout.equals(STALL_TIMEOUT)) {
            assertThat(unasked).as("retries the case did not cause: only a read timeout of a busy machine (%s ms)",
                    readTimeout.toMillis()).allSatisfy(e -> assertThat(e.data())
                            .containsEntry("error_code", AwxErrorCodes.TIMEOUT));
        } else {
            assertThat(unasked).as("retries the case did not cause").isEmpty();
        }
        assertThat(o.job().retryCount()).as("launch attempts (%d retries the case did not cause)", unasked.size())
                .isEqualTo(launchAttempts + unasked.size());
        assertThat(retries).as("a scheduled retry for each launch attempt after the first")
                .hasSize(o.job().retryCount() - 1);
        assertThat(o.job().errorCode()).as("a recovered job carries no error").isNull();
        assertThat(o.runs()).as("AWX runs of the job").hasSize(1);
        assertThat(o.job().runId()).isEqualTo(String.valueOf(o.runs().get(0).jobId()));
    }

    private static void failed(FaultCase.Outcome o, String code, String... says) {
        assertEnded(o, JobStatus.FAILED, code, says);
    }

    private static void assertEnded(FaultCase.Outcome o, JobStatus status, String code, String... says) {
        assertThat(o.job().status()).as("%s: %s", o.job().errorCode(), o.job().errorMessage()).isEqualTo(status);
        assertThat(o.job().errorCode()).isEqualTo(code);
        assertThat(o.job().errorMessage()).as("the message an operator reads").contains(says);
    }

    private static JobEvent event(FaultCase.Outcome o, JobEventType type) {
        return o.events().stream().filter(e -> e.type() == type).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.wireName() + " event in " + o.events()));
    }

}

package com.dotmac.provisioning.awx;

import com.dotmac.provisioning.awx.internal.AwxHttp;
import com.dotmac.provisioning.awx.internal.AwxJson;
import com.dotmac.provisioning.awx.internal.AwxResponse;
import com.dotmac.provisioning.awx.internal.CustomerInventory;
import com.dotmac.provisioning.awx.internal.FailureDetails;
import com.dotmac.provisioning.awx.internal.HttpClients;
import com.dotmac.provisioning.awx.internal.InterruptibleSockets;
import com.dotmac.provisioning.awx.internal.JobTemplates;
import com.dotmac.provisioning.awx.internal.Launcher;
import com.dotmac.provisioning.awx.internal.Preflight;
import com.dotmac.provisioning.awx.internal.AwxRetries;
import com.dotmac.provisioning.awx.internal.RunFinder;
import com.dotmac.provisioning.awx.internal.RunPoller;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs provisioning jobs as AWX / Ansible Automation Platform job templates over the REST API v2.
 *
 * <ul>
 *   <li>{@link #launch}: {@code POST job_templates/{id}/launch/} with the job's complete extra vars; the inventory
 *       (dotmac_hosted: the configured one, if any; customer_hosted: one rendered from the connection profile) and
 *       the customer's machine credential. Sent once, never retried here. Fields the template drops
 *       ({@code ignored_fields}) fail the job with {@link AwxErrorCodes#IGNORED_FIELDS}.</li>
 *   <li>{@link #poll}: one {@code GET jobs/?id__in=...} per 200 runs; failed runs explained by their failed task,
 *       host and message.</li>
 *   <li>{@link #findRuns} and {@link #findRunsOfJobs}: the template's jobs since the first launch attempt, matched
 *       on {@code provisioning_job_id}.</li>
 *   <li>{@link #cancel}, {@link #health} and {@link #preflight}.</li>
 * </ul>
 *
 * <p>Idempotent GETs and cancels are retried a bounded number of times ({@link AwxConfig#maxRetries()}) with
 * back-off; 5xx, 429, timeouts, I/O errors, redirects (maintenance pages), non-JSON and malformed answers are
 * transient {@link AutomationException}s; 400, 401, 403 and 404 are permanent. Neither the token, the password nor
 * the job's callback token is ever logged or put in an exception.
 *
 * <p>Thread-safe: one instance serves all of the engine's threads. {@link #close()} releases the HTTP client when the
 * runner made its own.
 */
public final class AwxAutomationRunner implements AutomationRunner, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AwxAutomationRunner.class);

    /** Waits between retries; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        /** Sleeps on the calling thread. */
        Sleeper THREAD_SLEEP = delay -> Thread.sleep(delay.toMillis());

        /**
         * @param delay how long to wait
         * @throws InterruptedException when interrupted
         */
        void sleep(Duration delay) throws InterruptedException;
    }

    private final AwxConfig config;
    private final OkHttpClient client;
    private final AwxHttp http;
    private final AwxJson json = new AwxJson();
    private final Launcher launcher;
    private final RunPoller poller;
    private final RunFinder finder;
    private final Preflight preflight;

    /**
     * A runner that sleeps between retries and reads {@code Retry-After} dates with the system clock.
     *
     * @param config the configuration
     */
    public AwxAutomationRunner(AwxConfig config) {
        this(config, Sleeper.THREAD_SLEEP, Clock.systemUTC());
    }

    /**
     * @param config the configuration
     * @param sleeper waits between retries of idempotent requests
     * @param clock reads {@code Retry-After} dates
     */
    public AwxAutomationRunner(AwxConfig config, Sleeper sleeper, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = HttpClients.create(config);
        this.http = new AwxHttp(client, config, json, AwxRetries.of(config, Objects.requireNonNull(sleeper,
                "sleeper")), Objects.requireNonNull(clock, "clock"));
        JobTemplates templates = new JobTemplates(config);
        this.launcher = new Launcher(http, json, config, templates, new CustomerInventory(http, json, config));
        this.poller = new RunPoller(http, json, new FailureDetails(http, config.maxDetailLength()),
                config.pollBatchSize());
        this.finder = new RunFinder(http, json, templates, config.findLaunchedClockSkew());
        this.preflight = new Preflight(http, config, templates);
    }

    /** @return the configuration */
    public AwxConfig config() {
        return config;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The template is the job's own ({@code awx_template_id}) or the configured one for its operation and mode.
     */
    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        return launcher.launch(Objects.requireNonNull(spec, "spec"));
    }

    /**
     * @return every AWX job of the job's template carrying its {@code provisioning_job_id}, created since the first
     *     launch attempt (minus the clock-skew margin), oldest first
     */
    @Override
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        return finder.findAll(Objects.requireNonNull(spec, "spec"));
    }

    /**
     * @return per job, the AWX jobs carrying its {@code provisioning_job_id}, oldest first: one listing (all pages)
     *     per job template, from the earliest first launch attempt among its jobs minus the clock-skew margin
     */
    @Override
    public Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
        return specs.isEmpty() ? Map.of() : finder.findAllOf(specs);
    }

    @Override
    public Map<String, RunStatus> poll(Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        return poller.poll(runIds);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code POST jobs/{id}/cancel/}: 202 asks AWX to stop the job; 405 (the job has finished) is not an error.
     *
     * @throws AutomationException permanent {@link AwxErrorCodes#NOT_FOUND} when AWX has no such job
     */
    @Override
    public void cancel(String runId) {
        Long jobId = RunPoller.jobId(runId);
        if (jobId == null) {
            throw AutomationException.permanent(AwxErrorCodes.INVALID_RUN_ID, "'" + runId.replaceAll("[^\\w.-]", "?")
                    + "' is not an AWX job id");
        }
        String what = "cancel AWX job " + jobId;
        AwxResponse response = http.post(http.url("jobs/" + jobId + "/cancel/").build(), json.object(),
                what, true);
        if (response.isSuccessful()) {
            log.info("asked AWX to cancel job {}", jobId);
        } else if (response.code() == 405) {
            log.info("AWX job {} has already finished; nothing to cancel", jobId);
        } else if (response.code() == 404) {
            throw AutomationException.permanent(AwxErrorCodes.NOT_FOUND, "AWX has no job " + jobId + " to cancel");
        } else {
            throw http.rejected(response, what);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>AWX has no idempotency key, and a launch request may be processed after its answer was lost (a read timeout,
     * a proxy's 502): the configured {@link AwxConfig#launchSettleTime()} (default twice the read timeout).
     *
     * @return the configured launch settle time
     */
    @Override
    public Duration launchSettleTime() {
        return config.launchSettleTime();
    }

    /**
     * {@inheritDoc}
     *
     * <p>True when the runner's HTTP client opens its sockets through {@code InterruptibleSockets} (its own client,
     * or a host's client with the default socket factory) and no SOCKS proxy: a blocked connect, read or write then
     * ends when the thread is interrupted, and a request interrupted is not retried. A host's own socket factory is
     * kept, and the answer is then false (each call runs on the engine's runner-call pool).
     *
     * @return whether every call ends soon once its thread is interrupted
     */
    @Override
    public boolean callsEndWhenInterrupted() {
        return InterruptibleSockets.usedBy(client);
    }

    /**
     * Checks {@code GET ping/} and every configured job template ({@code GET job_templates/{id}/launch/}).
     *
     * @return healthy when AWX answers and every template accepts what launches send; else the problems, in words
     *     an operator can act on
     */
    @Override
    public RunnerHealth health() {
        try {
            return preflight.health();
        } catch (RuntimeException e) {
            log.warn("AWX health check failed unexpectedly", e);
            return RunnerHealth.unhealthy("AWX health check failed", List.of(e.getClass().getSimpleName()));
        }
    }

    /**
     * The same checks as {@link #health()}, for a startup check.
     *
     * @return the problems; empty when AWX is reachable and configured well
     */
    public List<String> preflight() {
        return health().problems();
    }

    /** Releases the HTTP client's threads and connections when the runner made its own client; idempotent. */
    @Override
    public void close() {
        if (config.httpClient() == null) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** @return the base URL and settings; never a secret */
    @Override
    public String toString() {
        return "AwxAutomationRunner[" + config + "]";
    }
}

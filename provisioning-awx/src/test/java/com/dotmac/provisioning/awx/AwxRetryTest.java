package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spi.AutomationException;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.RunState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Idempotent requests (GET, cancel) are retried a bounded number of times with back-off, then reported transient. */
class AwxRetryTest extends FakeAwxTest {
    private static final String JOBS = "jobs/";

    static Stream<Fault> transientFaults() {
        return Stream.of(Fault.status(500), Fault.status(502), Fault.status(503), Fault.tooManyRequests(3),
                Fault.connectionReset(), Fault.readTimeout(), Fault.redirectToHtml(), Fault.htmlPage(),
                Fault.malformedJson());
    }

    private String job() {
        return String.valueOf(fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of(), Instant.now(),
                RunScript.succeedAfter(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFaults")
    void aPollRecoversFromOneFault(Fault fault) {
        String id = job();
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/"));
        fake.failNext(1, fault, "GET", JOBS);

        var statuses = runner.poll(List.of(id));

        assertThat(statuses.get(id).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(fake.calls("GET", JOBS)).hasSize(2);
        assertThat(sleeper.delays()).containsExactly(fault.toString().startsWith("429") ? Duration.ofSeconds(3)
                : Duration.ofMillis(100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFaults")
    void aPollThatKeepsFailingIsReportedTransientAfterTheRetries(Fault fault) {
        String id = job();
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/").maxRetries(2));
        fake.failNext(3, fault, "GET", JOBS);

        AutomationException e = failure(() -> runner.poll(List.of(id)));

        assertThat(e.isTransient()).isTrue();
        // the fake records a request on its own thread, which may lag behind the client's timeout on a busy machine
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fake.calls("GET", JOBS)).hasSize(3));
        assertThat(sleeper.delays()).hasSize(2);
    }

    @Test
    void theBackOffDoublesUpToItsLimit() {
        String id = job();
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/").maxRetries(4)
                .retryDelays(Duration.ofMillis(100), Duration.ofMillis(300)));
        fake.failNext(4, Fault.status(502), "GET", JOBS);

        runner.poll(List.of(id));

        assertThat(sleeper.delays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(300), Duration.ofMillis(300));
    }

    @Test
    void aLongRetryAfterIsLeftToTheEngine() {
        String id = job();
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/"));
        fake.failNext(1, Fault.tooManyRequests(60), "GET", JOBS);

        AutomationException e = failure(() -> runner.poll(List.of(id)));

        assertThat(e.isTransient()).isTrue();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(fake.calls("GET", JOBS)).hasSize(1);
        assertThat(sleeper.delays()).isEmpty();
    }

    @Test
    void aRetryAfterDateIsReadWithTheClock() {
        String id = job();
        Instant now = Instant.parse("2026-03-02T10:00:00Z");
        AwxAutomationRunner runner = new AwxAutomationRunner(fake.configBuilder().apiPath("/api/v2/").build(),
                sleeper, Clock.fixed(now, ZoneOffset.UTC));
        fake.failNext(1, Fault.of("429 until a date", new MockResponse.Builder().code(429)
                .setHeader("Retry-After", "Mon, 02 Mar 2026 10:00:04 GMT").build()), "GET", JOBS);

        var statuses = runner.poll(List.of(id));
        runner.close();

        assertThat(statuses.get(id).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(sleeper.delays()).containsExactly(Duration.ofSeconds(4));
    }

    @Test
    void permanentAnswersAreNotRetried() {
        String id = job();
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/"));
        fake.failNext(1, Fault.unauthorized(), "GET", JOBS);

        AutomationException e = failure(() -> runner.poll(List.of(id)));

        assertThat(e.isTransient()).isFalse();
        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.UNAUTHORIZED);
        assertThat(fake.calls("GET", JOBS)).hasSize(1);
    }

    @Test
    void cancelIsRetried() {
        long id = fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of(), Instant.now(), RunScript.hang());
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/"));
        fake.failNext(1, Fault.status(503), "POST", "jobs/\\d+/cancel/");

        assertThatCode(() -> runner.cancel(String.valueOf(id))).doesNotThrowAnyException();

        assertThat(fake.calls("POST", "jobs/\\d+/cancel/")).hasSize(2);
        assertThat(fake.job(id).orElseThrow().cancelRequested()).isTrue();
    }

    @Test
    void findRunsIsRetried() {
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/"));
        LaunchSpec spec = Specs.dotmacHosted("acme");
        runner.launch(spec);
        fake.failNext(1, Fault.connectionReset(), "GET", "job_templates/\\d+/jobs/");

        assertThat(runner.findRuns(spec).stream().findFirst()).isPresent();
        assertThat(fake.calls("GET", "job_templates/\\d+/jobs/")).hasSize(2);
    }
}

package com.dotmac.provisioning.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.benchmarks.support.Report;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression guard: the AWX requests per job of the engine ({@code AwxAutomationRunner} against {@code FakeAwx}, in
 * virtual time) at a small size of the economy benchmark, by endpoint, must not exceed today's counts. A failure
 * names the endpoints that grew. The per-job polling client of the same run is the benchmark's reference, not
 * guarded here ({@link HarnessSmokeTest} checks its definition).
 */
class AwxRequestsGuardTest {
    private static final int JOBS = 20;

    @Test
    void engineRequestsPerJobStayAtTodaysCount() {
        Report report = new Report(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        List<AwxEconomyBenchmark.Result> results = new AwxEconomyBenchmark().run(new AwxEconomyBenchmark.Settings(
                JOBS, Duration.ofSeconds(60), List.of(Duration.ofSeconds(15)), Duration.ofSeconds(2)), report);

        assertThat(results).hasSize(2);
        for (AwxEconomyBenchmark.Result r : results) {
            // the fake saw exactly what the runner's listener counted: no request escapes the count
            assertThat(r.engine().serverSide()).isEqualTo(r.engine().total());
            CountBounds.check("AWX requests of the engine, " + JOBS + " jobs " + r.arrival().words
                    + ", 60 s runs, poll 15 s", JOBS, r.engine().byKind(), bounds(r.arrival()));
        }
    }

    private static Map<String, Long> bounds(AwxEconomyBenchmark.Arrival arrival) {
        return switch (arrival) {
            case AT_ONCE -> Map.of("GET /api/", 1L, "GET jobs/", 4L, "POST job_templates/{id}/launch/", 20L);
            case SPREAD -> Map.of("GET /api/", 1L, "GET jobs/", 33L, "POST job_templates/{id}/launch/", 20L);
        };
    }
}

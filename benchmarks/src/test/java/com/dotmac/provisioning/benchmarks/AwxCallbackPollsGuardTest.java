package com.dotmac.provisioning.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.benchmarks.support.Report;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression guard: with callbacks on and the default safety poll (every 5th interval), the engine's AWX requests at
 * a small size of the economy benchmark (callbacks of a step together), by endpoint, must not exceed today's counts.
 */
class AwxCallbackPollsGuardTest {
    private static final int JOBS = 20;

    @Test
    void withCallbacksTheEnginePollsOnlyForSafetyAndAfterCallbacks() {
        Report report = new Report(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        List<AwxEconomyBenchmark.Result> results = new AwxEconomyBenchmark().run(new AwxEconomyBenchmark.Settings(
                JOBS, Duration.ofSeconds(120), List.of(Duration.ofSeconds(15)), Duration.ofSeconds(2),
                List.of(EngineSettings.DEFAULT_CALLBACK_SAFETY_POLL_EVERY)),
                report);

        assertThat(results).hasSize(2);
        for (AwxEconomyBenchmark.Result r : results) {
            AwxEconomyBenchmark.CallbackRun together = r.withCallbacks().stream()
                    .filter(c -> c.order() == AwxEconomyBenchmark.CallbackOrder.TOGETHER).findFirst().orElseThrow();
            assertThat(together.engine().serverSide()).isEqualTo(together.engine().total());
            CountBounds.check("AWX requests of the engine with callbacks, " + JOBS + " jobs " + r.arrival().words
                    + ", 120 s runs, poll 15 s, safety poll every 5", JOBS, together.engine().byKind(),
                    bounds(r.arrival()));
        }
    }

    private static Map<String, Long> bounds(AwxEconomyBenchmark.Arrival arrival) {
        return switch (arrival) {
            // the first poll at 15 s, one safety poll at 90 s, the poll after the callbacks at 120 s
            case AT_ONCE -> Map.of("GET /api/", 1L, "GET jobs/", 3L, "POST job_templates/{id}/launch/", 20L);
            // the first polls and the callbacks' polls fall in several 2 s steps; the safety poll on the grid in one
            case SPREAD -> Map.of("GET /api/", 1L, "GET jobs/", 20L, "POST job_templates/{id}/launch/", 20L);
        };
    }
}

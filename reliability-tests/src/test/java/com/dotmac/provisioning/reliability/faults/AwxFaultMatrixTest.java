package com.dotmac.provisioning.reliability.faults;

import com.dotmac.provisioning.CallbackSettings;
import com.dotmac.provisioning.reliability.support.CapturedLogs;
import com.dotmac.provisioning.reliability.support.Figures;
import com.dotmac.provisioning.reliability.support.Postgres;
import com.dotmac.provisioning.reliability.support.Schema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the {@link FaultMatrix} against a fresh fake AWX and an engine stepped on a movable clock (JDBC
 * repository on embedded PostgreSQL): transient faults recover within the retry budget and say what happened,
 * permanent ones fail the job at once with the runner's error code and a message that says what to fix, and
 * outages end in {@code timed_out} or {@code launch_attempts_exhausted} instead of a stuck job.
 */
@Tag("reliability")
@Tag("awx-faults")
class AwxFaultMatrixTest {
    private static final CallbackSettings CALLBACK = new CallbackSettings("https://platform.example.com/api/v1/tenants/"
            + "{tenant_id}/provisioning/jobs/{job_id}/callback",
            "fault-matrix-callback-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final Map<String, String> OUTCOMES = new TreeMap<>();
    private static Schema db;

    @BeforeAll
    static void database() {
        db = Postgres.newSchema("faults").withTables();
        CapturedLogs.arm();
    }

    @AfterAll
    static void figures() {
        CapturedLogs.disarm();
        db.close();
        Figures figures = new Figures("awx-faults").put("cases", OUTCOMES.size());
        OUTCOMES.forEach(figures::put);
        figures.save();
    }

    static List<FaultCase> cases() {
        return FaultMatrix.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachFaultEndsAsExpectedWithAMessageAnOperatorUnderstands(FaultCase c) {
        record(c, FaultMatrix.run(db, c, FaultMatrix.Auth.token(), CALLBACK));
    }

    private static void record(FaultCase c, FaultCase.Outcome o) {
        OUTCOMES.put(c.name(), o.job().status().wireName() + (o.job().errorCode() == null ? ""
                : " " + o.job().errorCode()) + " after " + o.job().retryCount() + " launch attempt(s), "
                + o.runs().size() + " AWX run(s)");
    }
}

package com.dotmac.provisioning.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobEventType;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.jdbc.support.TestDatabase;
import com.dotmac.provisioning.spi.StopReason;
import com.dotmac.provisioning.spi.StopRequest;
import com.dotmac.provisioning.spi.StoredJob;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instants survive a JVM time zone that is not UTC (surefire runs in America/St_Johns, UTC-3:30 with daylight
 * saving) and a session time zone that is not UTC either (Asia/Kathmandu, UTC+5:45): they are stored as the same
 * UTC instant, read back exactly (at microsecond precision) through sessions in other zones, and compared as
 * instants when claiming. The chosen instants fall into St John's daylight-saving gap and overlap, where any
 * conversion through local wall-clock time goes wrong. The database's current time
 * ({@link JdbcJobRepository#currentTime()}) is the system's time, whatever the zones.
 */
abstract class TimeZoneContract {
    /** Local 02:01 on 8 March 2026 does not exist in St John's (clocks jump from 02:00 to 03:00). */
    static final Instant IN_DST_GAP = Instant.parse("2026-03-08T05:31:00.000001Z");
    /** Local 01:30 on 1 November 2026 happens twice in St John's: first in daylight time... */
    static final Instant OVERLAP_FIRST = Instant.parse("2026-11-01T04:00:00.250000Z");
    /** ...and an hour later in standard time. */
    static final Instant OVERLAP_SECOND = Instant.parse("2026-11-01T05:00:00.250000Z");
    static final Instant WITH_NANOS = Instant.parse("2026-03-01T12:00:00.123456789Z");
    static final Instant LONG_AGO = Instant.parse("1999-12-31T23:59:59.999999Z");

    protected TestDatabase db;
    private JdbcJobRepository kathmandu;
    private JdbcJobRepository elsewhere;

    /** @return an empty database whose job tables exist */
    protected abstract TestDatabase open();

    /** @return the statement that sets a session's time zone to UTC+5:45 (PostgreSQL's and H2's form) */
    protected String kathmanduSession() {
        return "SET TIME ZONE 'Asia/Kathmandu'";
    }

    /** @return the statement that sets a session's time zone to a zone west of UTC (PostgreSQL's and H2's form) */
    protected String westernSession() {
        return "SET TIME ZONE 'America/Los_Angeles'";
    }

    /**
     * @param c a connection
     * @param column a time column of the jobs table
     * @param jobId a job
     * @return the stored value as a UTC instant, computed by the database itself (not by the driver); by default
     *     from {@code EXTRACT(EPOCH FROM column)} (PostgreSQL, H2)
     * @throws SQLException from the driver
     */
    protected Instant storedUtc(Connection c, String column, String jobId) throws SQLException {
        BigDecimal seconds = new BigDecimal(String.valueOf(queryValue(c, "SELECT EXTRACT(EPOCH FROM " + column
                + ") FROM tenant_provisioning_jobs WHERE id = ?", jobId)));
        return Instant.EPOCH.plus(seconds.movePointRight(6).longValueExact(), ChronoUnit.MICROS);
    }

    @BeforeEach
    void openDatabase() {
        db = open();
        kathmandu = new JdbcJobRepository(db.newPool(kathmanduSession()), db.dialect());
        elsewhere = new JdbcJobRepository(db.newPool(westernSession()), db.dialect());
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theJvmRunsInAZoneThatIsNeitherUtcNorAWholeHourOffset() {
        int offset = ZoneId.systemDefault().getRules().getOffset(WITH_NANOS).getTotalSeconds();
        assertThat(offset % 3600).as("JVM time zone %s", ZoneId.systemDefault()).isNotZero();
    }

    @Test
    void instantsRoundTripExactlyThroughSessionsInOtherZones() throws SQLException {
        StoredJob job = job(IN_DST_GAP, OVERLAP_FIRST);
        StoredJob created = kathmandu.create(job, List.of(event(job.id(), OVERLAP_SECOND)));

        StoredJob expected = truncatedCopy(job);
        assertThat(created).isEqualTo(expected);
        assertThat(kathmandu.find(job.id())).contains(expected);
        assertThat(elsewhere.find(job.id())).contains(expected);
        assertThat(elsewhere.events(job.id())).extracting(JobEvent::at).containsExactly(OVERLAP_SECOND);

        try (Connection c = db.dataSource().getConnection()) {
            assertThat(storedUtc(c, "next_check_at", job.id())).isEqualTo(IN_DST_GAP);
            assertThat(storedUtc(c, "lease_until", job.id())).isEqualTo(OVERLAP_FIRST);
            assertThat(storedUtc(c, "created_at", job.id())).isEqualTo(WITH_NANOS.truncatedTo(ChronoUnit.MICROS));
            assertThat(storedUtc(c, "started_at", job.id())).isEqualTo(LONG_AGO);
        }
    }

    @Test
    void claimingComparesInstantsNotWallClockTimes() {
        // both jobs are due at local 01:30 in St John's, an hour apart
        StoredJob first = kathmandu.create(StoredJob.newJob(plain("tz-first").build(), OVERLAP_FIRST), List.of());
        StoredJob second = kathmandu.create(StoredJob.newJob(plain("tz-second").build(), OVERLAP_SECOND), List.of());

        assertThat(elsewhere.claimDue("n", OVERLAP_FIRST.minus(1, ChronoUnit.MICROS), OVERLAP_SECOND, 10)).isEmpty();
        List<StoredJob> claimed = elsewhere.claimDue("n", OVERLAP_FIRST.plusSeconds(1800), OVERLAP_SECOND, 10);

        assertThat(claimed).extracting(StoredJob::id).containsExactly(first.id());
        assertThat(claimed.get(0).leaseUntil()).isEqualTo(OVERLAP_SECOND);
        // the lease ends exactly at OVERLAP_SECOND: the first job is claimable again then, and the second is due
        assertThat(kathmandu.claimDue("m", OVERLAP_SECOND, OVERLAP_SECOND.plusSeconds(60), 10))
                .extracting(StoredJob::id).containsExactly(first.id(), second.id());
    }

    @Test
    void rescheduleStoresTheInstantGiven() throws SQLException {
        StoredJob a = kathmandu.create(StoredJob.newJob(plain("tz-r1").build(), LONG_AGO), List.of());
        StoredJob b = kathmandu.create(StoredJob.newJob(plain("tz-r2").build(), LONG_AGO), List.of());

        assertThat(elsewhere.reschedule(List.of(a, b), WITH_NANOS)).isEqualTo(2);

        Instant expected = WITH_NANOS.truncatedTo(ChronoUnit.MICROS);
        assertThat(kathmandu.find(a.id()).orElseThrow().nextCheckAt()).isEqualTo(expected);
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(storedUtc(c, "next_check_at", b.id())).isEqualTo(expected);
        }
    }

    @Test
    void theDatabasesCurrentTimeIsTheSystemTimeThroughSessionsInOtherZones() {
        for (JdbcJobRepository repository : List.of(kathmandu, elsewhere)) {
            Instant before = Instant.now();
            Instant databaseTime = repository.currentTime().orElseThrow();
            Instant after = Instant.now();
            assertThat(databaseTime).as("the database's time read through %s", repository)
                    .isBetween(before.minusSeconds(1), after.plusSeconds(1));
        }
    }

    // ---- fixtures -----------------------------------------------------------------------------------------------

    private static ProvisioningJob.Builder plain(String tenant) {
        return ProvisioningJob.builder(UUID.randomUUID().toString()).tenantId(tenant).tenantSlug("tz")
                .operation(Operation.PROVISION).deploymentMode(DeploymentMode.DOTMAC_HOSTED).status(JobStatus.QUEUED)
                .requestedBy("tz-test").createdAt(WITH_NANOS).updatedAt(WITH_NANOS);
    }

    private static StoredJob job(Instant nextCheckAt, Instant leaseUntil) {
        ProvisioningJob job = plain("tz-tenant").startedAt(LONG_AGO).lastAcknowledgedAt(OVERLAP_SECOND)
                .deadline(IN_DST_GAP.plusNanos(999)).build();
        return new StoredJob(job, 0, "node", leaseUntil, nextCheckAt, OVERLAP_SECOND,
                new StopRequest(StopReason.TIMEOUT, "system", null, OVERLAP_FIRST), WITH_NANOS, false);
    }

    private static JobEvent event(String jobId, Instant at) {
        return new JobEvent(jobId, at, JobEventType.CREATED, null, JobStatus.QUEUED, "created", Map.of());
    }

    private static StoredJob truncatedCopy(StoredJob s) {
        ProvisioningJob j = s.job();
        return new StoredJob(j.toBuilder()
                .createdAt(WITH_NANOS.truncatedTo(ChronoUnit.MICROS))
                .updatedAt(WITH_NANOS.truncatedTo(ChronoUnit.MICROS))
                .deadline(IN_DST_GAP)
                .build(), 1, s.leaseOwner(), s.leaseUntil(), s.nextCheckAt(), s.launchPendingSince(), s.stop(),
                WITH_NANOS.truncatedTo(ChronoUnit.MICROS), s.tenantStatusApplied());
    }

    /**
     * @param c a connection
     * @param sql a query with one parameter (the job id) returning one value
     * @return the value
     * @throws SQLException from the driver
     */
    static Object queryValue(Connection c, String sql, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1);
            }
        }
    }
}

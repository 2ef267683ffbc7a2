package com.dotmac.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scripted.Script;
import com.dotmac.provisioning.scripted.ScriptedAutomationRunner;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.testkit.ClockedJobRepository;
import com.dotmac.provisioning.testkit.ManualScheduler;
import com.dotmac.provisioning.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lease expiry and due times are decided on the repository's time ({@code JobRepository.currentTime()}), not on each
 * node's clock: two engines share a repository whose time is {@link #database} (a {@link ClockedJobRepository}); one
 * node's clock is right, the other's runs 90 s ahead or behind it. With the default lease (20 s), a node 90 s ahead
 * that went by its own clock would see the other node's live lease as expired and take over the job it is launching;
 * a node 90 s behind would write leases that have run out for the other node already. Heartbeats run when the test
 * says so ({@link ManualScheduler#runHeartbeats()}).
 */
class RepositoryTimeTest {
    private static final Duration SKEW = Duration.ofSeconds(90);

    private final MutableClock database = MutableClock.atFixedStart();
    private final InMemoryJobRepository stored = new InMemoryJobRepository();
    private final ClockedJobRepository repository = new ClockedJobRepository(stored, database);
    private final InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
    private final ScriptedAutomationRunner scripted = new ScriptedAutomationRunner(database);
    private final ManualScheduler launching = new ManualScheduler();
    private final ManualScheduler other = new ManualScheduler();
    private final List<TenantProvisioner> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(TenantProvisioner::close);
    }

    @Test
    void aNodeWhoseClockRunsAheadDoesNotTakeOverALeaseThatIsLiveOnTheRepositorysTime() {
        assertSkewedNodeCannotTakeOver(database, Clock.offset(database, SKEW));
    }

    @Test
    void aNodeWhoseClockRunsBehindWritesLeasesThatAreLiveOnTheRepositorysTime() {
        assertSkewedNodeCannotTakeOver(Clock.offset(database, SKEW.negated()), database);
    }

    @Test
    void aNodeWhoseClockRunsAheadWritesDueTimesOnTheRepositorysTime() {
        tenants.put("t1", "t1", "pending");
        scripted.script("t1", Script.succeedAfter(1));
        TenantProvisioner ahead = node("node-ahead", Clock.offset(database, SKEW), scripted, launching);
        String job = ahead.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        launching.runPending();

        StoredJob running = stored.find(job).orElseThrow();
        assertThat(running.job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(running.job().createdAt()).as("created on the repository's time").isEqualTo(database.instant());
        assertThat(running.nextCheckAt()).as("the next poll is due a poll interval from now on the repository's time")
                .isEqualTo(database.instant().plus(EngineSettings.DEFAULT_POLL_INTERVAL));
    }

    /**
     * Node "launching" (on {@code launchingClock}) launches a job, and its launch takes a while; meanwhile node "other"
     * (on {@code otherClock}) sweeps, with no time passing and then after each of three heartbeats of the launching
     * node. The other node must never claim the job, and the lease must be a whole lease from now on the repository's
     * time.
     */
    private void assertSkewedNodeCannotTakeOver(Clock launchingClock, Clock otherClock) {
        tenants.put("t1", "t1", "pending");
        SlowRunner slow = new SlowRunner(scripted);
        TenantProvisioner launcher = node("node-launching", launchingClock, slow, launching);
        TenantProvisioner sweeper = node("node-other", otherClock, scripted, other);
        AtomicInteger claimedByOther = new AtomicInteger();
        AtomicReference<Instant> leaseDuringLaunch = new AtomicReference<>();
        slow.onLaunch("t1", () -> {
            leaseDuringLaunch.set(stored.find(only()).orElseThrow().leaseUntil());
            for (int beat = 0; beat < 4; beat++) {
                claimedByOther.addAndGet(sweeper.sweepNow());
                other.runPending();
                database.advance(EngineSettings.DEFAULT_LEASE_DURATION.dividedBy(4));
                launching.runHeartbeats();
            }
        });
        Instant requested = database.instant();
        String job = launcher.request(ProvisioningRequest.provision("t1", DeploymentMode.DOTMAC_HOSTED)).id();
        launching.runPending();

        assertThat(scripted.runsFor(job)).as("runs launched for the job").isEqualTo(1);
        assertThat(claimedByOther.get()).as("jobs the other node claimed while the lease was live").isZero();
        assertThat(leaseDuringLaunch.get()).as("the lease written before the launch, on the repository's time")
                .isEqualTo(requested.plus(EngineSettings.DEFAULT_LEASE_DURATION));
        StoredJob after = stored.find(job).orElseThrow();
        assertThat(after.job().status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(stored.events(job)).extracting(e -> e.type()).doesNotContain(JobEventType.LAUNCH_RETRY_SCHEDULED);
    }

    private String only() {
        return stored.findActive("t1").orElseThrow().id();
    }

    private TenantProvisioner node(String nodeId, Clock clock, AutomationRunner runner, ManualScheduler scheduler) {
        TenantProvisioner provisioner = TenantProvisioner.builder()
                .repository(repository)
                .tenantDirectory(tenants)
                .runner(runner)
                .scheduler(scheduler)
                .clock(clock)
                .nodeId(nodeId)
                .jitter(() -> 0.5)
                .build();
        provisioner.start();
        nodes.add(provisioner);
        return provisioner;
    }
}

package com.dotmac.provisioning.reliability.crash;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutMember;
import com.dotmac.provisioning.rollout.RolloutStatus;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RolloutRepository;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.StoredRollout;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import com.dotmac.provisioning.testkit.ForwardingRolloutRepository;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where a crash node freezes so that the parent kills it at a chosen point of the lifecycle, whatever the machine's
 * speed: armed with one {@link Phase} or {@link RolloutPhase} (and a count {@code n}, 1 by default), the {@code n}th
 * thread of the node that reaches that point prints {@code FROZEN <phase> <job, run or rollout>} and parks for ever;
 * the parent reads the line and sends SIGKILL. The node's other threads go on meanwhile (as they would in a real
 * crash). Thread-safe: the armed phase is an atomic reference that the thread that freezes clears, the count an
 * atomic integer.
 */
final class KillPoint {
    /** A point where a node can be frozen. */
    interface Point {
        /** @return the point's name on the wire between parent and node */
        String wireName();
    }

    /** The points of the job lifecycle where a node can be frozen. */
    enum Phase implements Point {
        /** The job row is stored; the request has not returned, the tenant status is not set. */
        STORING,
        /** "Launch pending" is recorded; AWX has not received the launch. */
        LAUNCHING,
        /** AWX started the run and answered; the engine has not recorded it. */
        LAUNCHED,
        /** A poll found a run not yet ended (pending or running); the engine has not written what it saw. */
        RUNNING,
        /** The job has ended; its final tenant status is about to be set. */
        ENDING;

        @Override
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The points of a rollout's life where a node can be frozen (a member's job being stored is {@link Phase#STORING},
     * as for any job).
     */
    enum RolloutPhase implements Point {
        /** Storing a rollout: a batch of its member rows is sent, inside the transaction that has not committed. */
        ENQUEUING,
        /** The rollout is stored (committed); the caller has not had the answer. */
        ENQUEUED,
        /** A look is about to write the rollout with the next wave number (its members of that wave may be started). */
        WAVE_SWITCH,
        /** A look wrote the rollout with the next wave number; the lease is not yet seen released by anyone. */
        WAVE_SWITCHED,
        /** A look is about to write the pause of a running rollout (its failures crossed the threshold). */
        PAUSING;

        @Override
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How the JDBC rollout repository's member inserts begin (its members table, migration V4). */
    private static final String MEMBERS_INSERT = "INSERT INTO tenant_provisioning_rollout_members";

    private final AtomicReference<@Nullable Point> armed = new AtomicReference<>();
    private final AtomicInteger countdown = new AtomicInteger();
    private final PrintStream out;

    /** @param out where {@code FROZEN} is printed */
    KillPoint(PrintStream out) {
        this.out = out;
    }

    /** @param phase where the next thread freezes */
    void arm(Point phase) {
        arm(phase, 1);
    }

    /**
     * @param phase where a thread freezes
     * @param nth the how-manieth thread to reach it from now freezes (1 or more)
     */
    void arm(Point phase, int nth) {
        countdown.set(nth);
        armed.set(phase);
    }

    /**
     * @param wireName a {@link Phase} or {@link RolloutPhase} by its wire name
     * @return that point
     */
    static Point point(String wireName) {
        String name = wireName.trim().toUpperCase(java.util.Locale.ROOT);
        for (RolloutPhase phase : RolloutPhase.values()) {
            if (phase.name().equals(name)) {
                return phase;
            }
        }
        return Phase.valueOf(name);
    }

    /** @return whether a thread would freeze at {@code phase} (its count not yet counted) */
    private boolean isArmed(Point phase) {
        return armed.get() == phase;
    }

    /** Freezes the calling thread for ever when the point is armed at {@code phase} and its count is reached. */
    private void reached(Point phase, String what) {
        if (armed.get() == phase && countdown.decrementAndGet() == 0 && armed.compareAndSet(phase, null)) {
            out.println("FROZEN " + phase.wireName() + " " + what);
            while (true) {
                LockSupport.park(this);
            }
        }
    }

    /** @return the repository, freezing after a job is stored */
    JobRepository repository(JobRepository target) {
        return new ForwardingJobRepository(target) {
            @Override
            public StoredJob create(StoredJob job, List<JobEvent> events) {
                StoredJob stored = super.create(job, events);
                reached(Phase.STORING, stored.id());
                return stored;
            }
        };
    }

    /** @return the runner, freezing before and after a launch and after a poll that saw a run not yet ended */
    AutomationRunner runner(AutomationRunner target) {
        return new ForwardingAutomationRunner(target) {
            @Override
            public LaunchedRun launch(LaunchSpec spec) {
                reached(Phase.LAUNCHING, spec.job().id());
                LaunchedRun run = super.launch(spec);
                reached(Phase.LAUNCHED, spec.job().id());
                return run;
            }

            @Override
            public Map<String, RunStatus> poll(Collection<String> runIds) {
                Map<String, RunStatus> seen = super.poll(runIds);
                seen.entrySet().stream().filter(e -> !e.getValue().state().isFinal()).findFirst()
                        .ifPresent(e -> reached(Phase.RUNNING, e.getKey()));
                return seen;
            }
        };
    }

    /** @return the tenant directory, freezing before a finished job's tenant status is set */
    TenantDirectory directory(TenantDirectory target) {
        return new TenantDirectory() {
            @Override
            public Optional<Tenant> find(String tenantId) {
                return target.find(tenantId);
            }

            @Override
            public void applyStatus(String tenantId, String status, TenantStatusChange change) {
                if (change.jobStatus().isTerminal()) {
                    reached(Phase.ENDING, change.jobId());
                }
                target.applyStatus(tenantId, status, change);
            }
        };
    }

    /**
     * @return the rollouts' data source, freezing right after a batch of member rows was sent while a rollout is
     *     stored (its transaction open)
     */
    DataSource dataSource(DataSource target) {
        return FreezingDataSource.wrap(target, MEMBERS_INSERT,
                () -> reached(RolloutPhase.ENQUEUING, "members batch sent, not committed"));
    }

    /**
     * @return the rollout repository, freezing after a rollout is stored, around the write of a wave switch and
     *     before the write of a threshold pause
     */
    RolloutRepository rollouts(RolloutRepository target) {
        return new ForwardingRolloutRepository(target) {
            @Override
            public StoredRollout create(StoredRollout rollout, List<RolloutMember> members, List<RolloutEvent> events) {
                StoredRollout stored = target.create(rollout, members, events);
                reached(RolloutPhase.ENQUEUED, stored.id());
                return stored;
            }

            @Override
            public StoredRollout commit(StoredRollout rollout, List<RolloutEvent> events) {
                if (!isArmed(RolloutPhase.WAVE_SWITCH) && !isArmed(RolloutPhase.WAVE_SWITCHED)
                        && !isArmed(RolloutPhase.PAUSING)) {
                    return target.commit(rollout, events);
                }
                Rollout before = target.find(rollout.id()).orElseThrow().rollout();
                Rollout after = rollout.rollout();
                boolean waveSwitch = after.currentWave() > before.currentWave();
                if (waveSwitch) {
                    reached(RolloutPhase.WAVE_SWITCH, rollout.id() + " wave " + after.currentWave());
                }
                if (before.status() == RolloutStatus.RUNNING && after.status() == RolloutStatus.PAUSED
                        && after.statusReason() != null && !after.statusReason().startsWith("paused by ")) {
                    reached(RolloutPhase.PAUSING, rollout.id());
                }
                StoredRollout stored = target.commit(rollout, events);
                if (waveSwitch) {
                    reached(RolloutPhase.WAVE_SWITCHED, rollout.id() + " wave " + after.currentWave());
                }
                return stored;
            }
        };
    }
}

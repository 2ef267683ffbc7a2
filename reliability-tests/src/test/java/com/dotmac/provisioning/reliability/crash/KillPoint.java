package com.dotmac.provisioning.reliability.crash;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.JobRepository;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.StoredJob;
import com.dotmac.provisioning.spi.Tenant;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spi.TenantStatusChange;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import com.dotmac.provisioning.testkit.ForwardingJobRepository;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a crash node freezes so that the parent kills it at a chosen point of the lifecycle, whatever the machine's
 * speed: armed with one {@link Phase}, the first thread of the node that reaches that point prints
 * {@code FROZEN <phase> <job or run>} and parks for ever; the parent reads the line and sends SIGKILL. The node's
 * other threads go on meanwhile (as they would in a real crash). Thread-safe: the armed phase is an atomic reference
 * that the first thread to reach it clears.
 */
final class KillPoint {
    /** The points of the lifecycle where a node can be frozen. */
    enum Phase {
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

        /** @return the phase's name on the wire between parent and node */
        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AtomicReference<Phase> armed = new AtomicReference<>();
    private final PrintStream out;

    /** @param out where {@code FROZEN} is printed */
    KillPoint(PrintStream out) {
        this.out = out;
    }

    /** @param phase where the next thread freezes */
    void arm(Phase phase) {
        armed.set(phase);
    }

    /** Freezes the calling thread for ever when the point is armed at {@code phase}. */
    private void reached(Phase phase, String what) {
        if (armed.compareAndSet(phase, null)) {
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
}

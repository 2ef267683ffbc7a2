package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.spi.JobWriteOutcome;
import com.dotmac.provisioning.spi.RunStatus;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Applies the ends of the runs one batch poll found ended, with few writes: the endings are computed as
 * {@link RunEndStep} computes one, the tenant statuses of the terminal ones go to the tenant directory in one batch
 * ({@link TenantStatusStep#applyAllWithEndings}), and the jobs with their events are written in one batch
 * ({@link JobWriter#commitAll}, each job version-checked). Each job ends as it would alone: the same events in the
 * same commit, the same listener calls and tracing, a refused tenant status left to the retry, and a job that was not
 * written (changed meanwhile, or its write failed) handed to {@code failed} with the exception its own write would
 * have thrown.
 *
 * <p>Thread-safe: no state of its own; each call works on jobs this node claimed. Logs through {@link RunEndStep}.
 */
final class RunEndBatch {
    private final RunEndStep runEnds;
    private final TenantStatusStep tenantStatus;
    private final JobWriter writer;

    /** A run found ended by a batch poll, with its job as claimed. */
    record Ended(StoredJob job, RunStatus status) {
    }

    RunEndBatch(RunEndStep runEnds, TenantStatusStep tenantStatus, JobWriter writer) {
        this.runEnds = runEnds;
        this.tenantStatus = tenantStatus;
        this.writer = writer;
    }

    /**
     * @param ended the ended runs, each of a different job
     * @param now the time of the poll
     * @param drive takes each ended job whose tenant status is still to be applied
     * @param failed takes each job whose ending could not be computed or written, with the exception that
     *     {@link RunEndStep#apply} would have thrown for it
     */
    void apply(List<Ended> ended, Instant now, Consumer<StoredJob> drive, BiConsumer<StoredJob, RuntimeException> failed) {
        Map<StoredJob, JobChange> changes = new LinkedHashMap<>();
        Map<StoredJob, JobChange> terminal = new LinkedHashMap<>();
        for (Ended e : ended) {
            try {
                JobChange change = runEnds.ending(e.job(), e.status(), now);
                changes.put(e.job(), change);
                if (change.status().isTerminal()) {
                    terminal.put(e.job(), change);
                }
            } catch (RuntimeException failure) {
                failed.accept(e.job(), failure);
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        Set<String> settled = terminal.isEmpty() ? Set.of() : tenantStatus.applyAllWithEndings(terminal);
        List<StoredJob> jobs = new ArrayList<>(changes.keySet());
        List<JobWriteOutcome> outcomes = writer.commitAll(new ArrayList<>(changes.values()));
        for (int i = 0; i < jobs.size(); i++) {
            StoredJob s = jobs.get(i);
            JobWriteOutcome outcome = outcomes.get(i);
            StoredJob saved = outcome.saved();
            if (saved == null) {
                failed.accept(s, Objects.requireNonNull(outcome.failure(), "an outcome without a job has a failure"));
                continue;
            }
            runEnds.logEnded(s, saved);
            if (!settled.contains(s.id())) {
                drive.accept(saved);
            }
        }
    }
}

package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.JobEvent;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutEvent;
import com.dotmac.provisioning.rollout.RolloutNotFoundException;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.spring.web.dto.JobEventsResponse;
import com.dotmac.provisioning.spring.web.dto.RolloutEventsResponse;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A timeline an event stream follows: a job's or a rollout's, read through the public API of
 * {@link TenantProvisioner}. An entry's position (from 1) is its SSE {@code id}; this relies on timelines being
 * append-only, which the repositories guarantee: the JDBC ones read events {@code ORDER BY id} (an identity column),
 * insert them only in the transaction that writes the job's or rollout's row under its version check (so two writers of
 * one timeline are serialised by that row's lock and commit in id order), and never update them; the in-memory ones
 * append to a list under their lock. Events are deleted only with their job (retention), after which the stream ends.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface EventTimeline {
    /**
     * Reads the owner's status first, then its entries, so that when {@link Snapshot#ended()} is true the entries
     * include the last one (a final status change is stored with its event).
     *
     * @param after how many entries the reader has already (0 for all)
     * @return the entries after that position and whether the owner reached a final status (or is gone)
     */
    Snapshot read(int after);

    /**
     * One entry as sent.
     *
     * @param type the entry type's wire name, the SSE {@code event:}, e.g. {@code status_changed}
     * @param body the entry as the timeline endpoint writes it (the SSE {@code data:})
     */
    record Entry(String type, Object body) {
    }

    /**
     * What a read found.
     *
     * @param entries the entries after the position asked for, oldest first
     * @param total how many entries the timeline has
     * @param ended whether the owner is in a final status (its last entry is among the entries read) or is gone
     */
    record Snapshot(List<Entry> entries, int total, boolean ended) {
        /** Copies the entries. */
        public Snapshot {
            entries = List.copyOf(entries);
        }
    }

    /**
     * @param provisioner the library
     * @param jobId a job
     * @return the job's timeline; it ends when the job is terminal or gone
     */
    static EventTimeline ofJob(TenantProvisioner provisioner, String jobId) {
        return after -> {
            Optional<ProvisioningJob> job = provisioner.job(jobId);
            if (job.isEmpty()) {
                return new Snapshot(List.of(), 0, true);
            }
            boolean ended = job.get().status().isTerminal();
            try {
                List<JobEvent> events = provisioner.events(jobId);
                return snapshot(events, after, ended, e -> new Entry(e.type().wireName(),
                        JobEventsResponse.Event.of(e)));
            } catch (JobNotFoundException e) {
                return new Snapshot(List.of(), 0, true);
            }
        };
    }

    /**
     * @param rollouts the rollouts
     * @param rolloutId a rollout
     * @return the rollout's timeline; it ends when the rollout is terminal or gone
     */
    static EventTimeline ofRollout(Rollouts rollouts, String rolloutId) {
        return after -> {
            Optional<Rollout> rollout = rollouts.find(rolloutId);
            if (rollout.isEmpty()) {
                return new Snapshot(List.of(), 0, true);
            }
            boolean ended = rollout.get().status().isTerminal();
            try {
                List<RolloutEvent> events = rollouts.events(rolloutId);
                return snapshot(events, after, ended, e -> new Entry(e.type().wireName(),
                        RolloutEventsResponse.Event.of(e)));
            } catch (RolloutNotFoundException e) {
                return new Snapshot(List.of(), 0, true);
            }
        };
    }

    private static <E> Snapshot snapshot(List<E> events, int after, boolean ended, Function<E, Entry> wire) {
        List<Entry> entries = after >= events.size() ? List.of()
                : events.subList(Math.max(0, after), events.size()).stream().map(wire).toList();
        return new Snapshot(entries, events.size(), ended);
    }
}

package com.dotmac.provisioning.awx.fake;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A fake AWX job's mutable state; guarded by the owning {@link FakeAwx}'s lock. */
final class FakeJob {
    private static final Set<String> FINAL = Set.of("successful", "failed", "error", "canceled");

    final long id;
    final long templateId;
    final String templateName;
    /** The extra vars as AWX shows them ({@code extra_vars}): survey password answers as {@code $encrypted$}. */
    final String extraVarsJson;
    /** The extra vars the run gets. */
    final Map<String, Object> extraVars;
    final @Nullable Long inventory;
    final List<Long> credentials;
    final Instant created;
    final RunScript script;
    String status = "pending";
    int observations;
    boolean vanished;
    boolean cancelRequested;
    boolean pinned;
    @Nullable Instant started;
    @Nullable Instant finished;

    FakeJob(long id, long templateId, String templateName, String extraVarsJson, Map<String, Object> extraVars,
            @Nullable Long inventory, List<Long> credentials, Instant created, RunScript script) {
        this.id = id;
        this.templateId = templateId;
        this.templateName = templateName;
        this.extraVarsJson = extraVarsJson;
        this.extraVars = extraVars;
        this.inventory = inventory;
        this.credentials = List.copyOf(credentials);
        this.created = created;
        this.script = script;
    }

    boolean isFinal() {
        return FINAL.contains(status);
    }

    /** One poll or detail request shows the job: it moves on as its script says. */
    void observe(Instant now) {
        if (isFinal() || vanished) {
            return;
        }
        if (cancelRequested) {
            end("canceled", now);
            return;
        }
        if (pinned) {
            return;
        }
        boolean ends = script.finalStatus() != null || script.vanish();
        if (!ends || observations < script.activeObservations()) {
            status = observations == 0 ? "pending" : observations == 1 ? "waiting" : "running";
            if (status.equals("running") && started == null) {
                started = now;
            }
            observations++;
            return;
        }
        observations++;
        if (script.vanish()) {
            vanished = true;
        } else {
            end(String.valueOf(script.finalStatus()), now);
        }
    }

    void end(String finalStatus, Instant now) {
        status = finalStatus;
        if (started == null) {
            started = now;
        }
        finished = now;
    }

    double elapsedSeconds() {
        return started == null || finished == null ? 0.0 : Duration.between(started, finished).toMillis() / 1000.0;
    }

    JobView view() {
        return new JobView(id, templateId, status, observations, cancelRequested, extraVars, inventory, created);
    }
}

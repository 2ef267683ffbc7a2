package com.dotmac.provisioning.benchmarks.support;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Names the kind of a SQL statement sent to the job, rollout, tenant, outbox and webhook queue tables, so that counts
 * can say which statements a lifecycle spends (e.g. {@code claim one}, {@code job update + events}). Stateless.
 */
public final class SqlLabels {
    private static final String JOBS = "tenant_provisioning_jobs";
    private static final String EVENTS = "tenant_provisioning_job_events";
    private static final String GUARD = "tenant_provisioning_runs_guard";
    private static final String ROLLOUTS = "tenant_provisioning_rollouts";
    private static final String MEMBERS = "tenant_provisioning_rollout_members";
    private static final String ROLLOUT_EVENTS = "tenant_provisioning_rollout_events";
    private static final String OUTBOX = "tenant_provisioning_outbox";
    private static final String WEBHOOKS = "tenant_provisioning_webhook_delivery";

    private record Rule(String label, Predicate<String> matches) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("webhook enqueue: read the event's rows", s -> s.startsWith("select subscription from "
                    + WEBHOOKS)),
            new Rule("webhook enqueue: insert", s -> s.startsWith("insert into " + WEBHOOKS)),
            new Rule("webhook claim: read the heads", s -> s.contains(" from " + WEBHOOKS + " ")
                    && (s.startsWith("with recursive queues") || s.contains("min(sequence)"))),
            new Rule("webhook claim: lease", s -> s.startsWith("update " + WEBHOOKS + " set lease_owner")),
            new Rule("webhook delete (delivered)", s -> s.startsWith("delete from " + WEBHOOKS)),
            new Rule("webhook retry or dead letter", s -> s.startsWith("update " + WEBHOOKS + " set attempts")),
            new Rule("outbox insert", s -> s.startsWith("insert into " + OUTBOX)),
            new Rule("outbox claim: read the heads", s -> s.startsWith("select")
                    && s.contains(" from " + OUTBOX + " o ")),
            new Rule("outbox claim: lease", s -> s.startsWith("update " + OUTBOX + " set lease_owner")),
            new Rule("outbox delete (delivered)", s -> s.startsWith("delete from " + OUTBOX)),
            new Rule("outbox failed delivery", s -> s.startsWith("update " + OUTBOX + " set attempts")),
            new Rule("outbox count", s -> s.startsWith("select count(*) from " + OUTBOX)),
            new Rule("job insert + events (one statement)", s -> s.startsWith("with j as (insert into " + JOBS)),
            new Rule("job update + events (one statement)", s -> s.startsWith("with j as (update " + JOBS)),
            new Rule("claim due jobs (batch)", s -> s.startsWith("update " + JOBS) && s.contains("skip locked")),
            new Rule("claim one job", s -> s.startsWith("update " + JOBS + " set lease_owner = ?")
                    && s.contains("returning")),
            new Rule("lease renewal (heartbeat)", s -> s.startsWith("update " + JOBS + " set lease_until = ?")),
            new Rule("lease (version-checked)", s -> s.startsWith("update " + JOBS + " set lease_owner = ?")),
            new Rule("release many (reschedule)", s -> s.startsWith("update " + JOBS) && s.contains("lease_owner = null")
                    && (s.contains("unnest(") || s.contains(" in ("))),
            new Rule("release one (reschedule)", s -> s.startsWith("update " + JOBS) && s.contains("lease_owner = null")),
            new Rule("job update", s -> s.startsWith("update " + JOBS)),
            new Rule("job insert", s -> s.startsWith("insert into " + JOBS)),
            new Rule("events insert", s -> s.startsWith("insert into " + EVENTS)),
            new Rule("read active job of tenant", s -> s.startsWith("select") && s.contains(" from " + JOBS)
                    && (s.contains("active_tenant_id = ?") || s.contains("tenant_id = ? and status in"))),
            new Rule("read due jobs", s -> s.startsWith("select") && s.contains(" from " + JOBS)
                    && s.contains("next_check_at <= ?")),
            new Rule("runs guard lock (cap)", s -> s.startsWith("select") && s.contains(" from " + GUARD)
                    && s.contains("for update")),
            new Rule("count runs in flight (cap)", s -> s.startsWith("select count(*) from " + JOBS)
                    && s.contains("launch_pending_since is not null")),
            new Rule("read job", s -> s.startsWith("select") && s.contains(" from " + JOBS)),
            new Rule("read events", s -> s.startsWith("select") && s.contains(" from " + EVENTS)),
            new Rule("tenant status update", s -> s.startsWith("update tenants")),
            new Rule("tenant read", s -> s.startsWith("select") && s.contains(" from tenants")),
            new Rule("rollout insert", s -> s.startsWith("insert into " + ROLLOUTS + " ")),
            new Rule("rollout members insert (batch)", s -> s.startsWith("insert into " + MEMBERS)),
            new Rule("rollout events insert", s -> s.startsWith("insert into " + ROLLOUT_EVENTS)),
            new Rule("rollout claim", s -> s.startsWith("update " + ROLLOUTS) && s.contains("skip locked")),
            new Rule("rollout update", s -> s.startsWith("update " + ROLLOUTS)),
            new Rule("rollout members update (batch)", s -> s.startsWith("update " + MEMBERS)),
            new Rule("rollout member counts", s -> s.startsWith("select") && s.contains(" from " + MEMBERS)
                    && s.contains("count(*)")),
            new Rule("rollout members read", s -> s.startsWith("select") && s.contains(" from " + MEMBERS)),
            new Rule("rollout events read", s -> s.startsWith("select") && s.contains(" from " + ROLLOUT_EVENTS)),
            new Rule("rollout read", s -> s.startsWith("select") && s.contains(" from " + ROLLOUTS)));

    /** Labels by statement text: the engine sends a few dozen distinct texts, so this stays small. */
    private static final Map<String, String> LABELS = new ConcurrentHashMap<>();

    private SqlLabels() {
    }

    /**
     * @param sql a statement's text
     * @return its kind, or its first words when it is none of the known kinds (computed once per text)
     */
    public static String label(String sql) {
        return LABELS.computeIfAbsent(sql, SqlLabels::compute);
    }

    private static String compute(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.matches().test(s)) {
                return rule.label();
            }
        }
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}

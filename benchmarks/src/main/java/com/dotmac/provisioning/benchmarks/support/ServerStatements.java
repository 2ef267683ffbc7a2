package com.dotmac.provisioning.benchmarks.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * PostgreSQL's own account of the statements it ran ({@code pg_stat_statements}, with planning tracked): calls,
 * plans, and the server's time planning and executing, by statement kind ({@link SqlLabels}). Unlike times measured
 * in the client, these do not include the network, the driver or this (shared, noisy) machine's scheduling of the
 * client, and they show whether a statement is planned once or at every execution. The statistics cover the whole
 * server: reset them before the work to measure. Thread-safe.
 */
public final class ServerStatements {
    private final DataSource server;

    ServerStatements(DataSource server) {
        this.server = server;
    }

    /**
     * The server's figures for one kind of statement.
     *
     * @param calls executions
     * @param plans plannings (equal to calls when the statement is planned at every execution)
     * @param planMillis time spent planning
     * @param execMillis time spent executing
     */
    public record Kind(long calls, long plans, double planMillis, double execMillis) {
        Kind plus(Kind o) {
            return new Kind(calls + o.calls, plans + o.plans, planMillis + o.planMillis, execMillis + o.execMillis);
        }
    }

    /** Forgets the statistics so far. */
    public void reset() {
        try (Connection c = server.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_statements_reset()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not reset pg_stat_statements", e);
        }
    }

    /** @return the statistics since the last reset, by statement kind (the benchmark tables' statements only) */
    public Map<String, Kind> byKind() {
        Map<String, Kind> kinds = new TreeMap<>();
        try (Connection c = server.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT query, calls, plans, total_plan_time, total_exec_time "
                        + "FROM pg_stat_statements WHERE query ILIKE '%tenant_provisioning%' "
                        + "OR query ILIKE '%tenants%'")) {
            while (rs.next()) {
                String kind = SqlLabels.label(rs.getString(1).replaceAll("\\$\\d+", "?"));
                Kind k = new Kind(rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5));
                kinds.merge(kind, k, Kind::plus);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read pg_stat_statements", e);
        }
        return kinds;
    }
}

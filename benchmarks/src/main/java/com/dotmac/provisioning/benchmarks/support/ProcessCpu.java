package com.dotmac.provisioning.benchmarks.support;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * CPU time of this JVM and of a PostgreSQL server's processes (the postmaster's children: backends, writers), read
 * from the operating system, so that a benchmark can say where the CPU of a run went. PostgreSQL's processes are
 * found through a backend of the given pool ({@code pg_backend_pid()} and its parent); a backend that started and
 * ended between two readings is not counted. Stateless; thread-safe.
 */
public final class ProcessCpu {
    private ProcessCpu() {
    }

    /** @return this JVM's CPU time so far (all threads), in nanoseconds; -1 when the JVM cannot tell */
    public static long jvmNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * @param postgres a pool on the PostgreSQL server
     * @return the CPU time so far of the server's processes now alive, in nanoseconds; -1 when it cannot be read
     *     (another database, or the processes are not visible to this user)
     */
    public static long postgresNanos(DataSource postgres) {
        long backend;
        try (Connection c = postgres.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            backend = rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(backend).flatMap(ProcessHandle::parent);
        if (postmaster.isEmpty()) {
            return -1;
        }
        long total = postmaster.get().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        for (ProcessHandle child : postmaster.get().children().toList()) {
            total += child.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return total;
    }
}

package com.dotmac.provisioning.benchmarks.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * CPU time spent by this JVM and by the PostgreSQL server (Linux {@code /proc}): the JVM's from its
 * {@code OperatingSystemMXBean}; PostgreSQL's as the postmaster's user and system time, plus what its ended children
 * used (reaped: {@code cutime}, {@code cstime}), plus the user and system time of its live children (backends,
 * background workers). Read before and after a measurement, the difference splits its CPU between the two. The
 * clock tick is taken as 100 per second ({@code getconf CLK_TCK} on Linux x86-64). Immutable.
 *
 * @param postmasterPid the PostgreSQL server's process, or 0 when unknown (H2, not Linux)
 */
public record CpuMeter(long postmasterPid) {
    private static final double TICK_SECONDS = 0.01;

    /**
     * CPU seconds used so far.
     *
     * @param jvmSeconds this JVM (the engines, the fake runner, the proxy, the clients)
     * @param postgresSeconds the PostgreSQL server, or NaN when unknown
     */
    public record Reading(double jvmSeconds, double postgresSeconds) {
        /**
         * @param earlier a reading taken before this one
         * @return the CPU seconds used between the two
         */
        public Reading minus(Reading earlier) {
            return new Reading(jvmSeconds - earlier.jvmSeconds, postgresSeconds - earlier.postgresSeconds);
        }
    }

    /**
     * @param postgres a data source of the PostgreSQL server, or null for none
     * @return a meter for this JVM and that server (its postmaster found as the parent of a backend)
     */
    public static CpuMeter of(@Nullable DataSource postgres) {
        if (postgres == null) {
            return new CpuMeter(0);
        }
        try (Connection c = postgres.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long[] stat = stat(rs.getLong(1));
            return new CpuMeter(stat == null ? 0 : stat[0]);
        } catch (SQLException e) {
            return new CpuMeter(0);
        }
    }

    /** @return the CPU used so far */
    public Reading read() {
        double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        return new Reading(jvm, postgresSeconds());
    }

    private double postgresSeconds() {
        if (postmasterPid <= 0) {
            return Double.NaN;
        }
        long[] master = stat(postmasterPid);
        if (master == null) {
            return Double.NaN;
        }
        long ticks = master[1] + master[2] + master[3] + master[4];
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p ->
                p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : procs) {
                long[] s = stat(Long.parseLong(p.getFileName().toString()));
                if (s != null && s[0] == postmasterPid) {
                    ticks += s[1] + s[2];
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks * TICK_SECONDS;
    }

    /** @return parent pid, utime, stime, cutime, cstime of a process, or null when it is gone */
    private static long @Nullable [] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                    Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

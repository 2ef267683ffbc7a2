package com.dotmac.provisioning.reliability.crash;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningException;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.awx.AwxAutomationRunner;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.jdbc.JdbcDialect;
import com.dotmac.provisioning.jdbc.JdbcJobRepository;
import com.dotmac.provisioning.jdbc.JdbcRolloutRepository;
import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An engine node in a JVM of its own, for {@link CrashRecoveryTest} and {@link RolloutCrashTest}: a
 * {@link TenantProvisioner} with {@link JdbcJobRepository}, {@link JdbcRolloutRepository} and
 * {@link JdbcTenantDirectory} on the parent's embedded PostgreSQL and an
 * {@link AwxAutomationRunner} against the parent's fake AWX. It builds everything, prints {@code BOOTED}, and then
 * reads commands from stdin:
 *
 * <ul>
 *   <li>{@code START}: starts the engine (which takes over whatever a killed node left) and prints {@code READY};</li>
 *   <li>{@code BATCH <tenant>:<operation> ...}: requests the jobs one after another, printing
 *       {@code CREATED <tenant> <job id>} or {@code REFUSED <tenant> <exception>} for each;</li>
 *   <li>{@code ROLLOUT ...} and {@code RESUME ...}: starts or resumes a rollout ({@link RolloutCommandLine});</li>
 *   <li>{@code FREEZE <phase> [n]}: arms a {@link KillPoint} at a job or rollout phase: the first (or
 *       {@code n}th) thread that reaches that point prints {@code FROZEN <phase> <id>} and parks, waiting for the
 *       parent's SIGKILL;</li>
 *   <li>{@code EXIT} (or the end of stdin): closes the engine and exits 0.</li>
 * </ul>
 *
 * <p>A shutdown hook writes the marker file named by the fourth argument: after a SIGKILL it must not exist.
 * Arguments: JDBC URL, AWX base URL, node id, marker file, lease mode ({@link #SHORT_LEASE} or
 * {@link #DEFAULT_LEASE}).
 */
public final class CrashNode {
    /**
     * Lease of claimed work in the {@code short-lease} mode: short for a quick takeover (the heartbeat renews it every
     * 750 ms while the engine works on a job). The {@code default-lease} mode keeps the engine's default lease and
     * sweep interval ({@link EngineSettings#DEFAULT_LEASE_DURATION}, {@link EngineSettings#DEFAULT_SWEEP_INTERVAL}).
     */
    static final Duration LEASE = Duration.ofSeconds(3);
    /** Poll interval, and sweep interval in the {@code short-lease} mode. */
    static final Duration INTERVAL = Duration.ofMillis(100);
    /** The mode argument that keeps the engine's default lease and sweep interval. */
    static final String DEFAULT_LEASE = "default-lease";
    /** The mode argument that uses {@link #LEASE} and sweeps every {@link #INTERVAL}. */
    static final String SHORT_LEASE = "short-lease";
    /** The release every upgrade installs. */
    static final String RELEASE = "2.4.1";

    private CrashNode() {
    }

    /**
     * @param args JDBC URL, AWX base URL, node id, shutdown-hook marker file, lease mode
     * @throws IOException when stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        String jdbcUrl = args[0];
        String awxUrl = args[1];
        String nodeId = args[2];
        Path marker = Path.of(args[3]);
        boolean defaultLease = args[4].equals(DEFAULT_LEASE);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(marker, "shutdown hook of " + nodeId + " ran");
            } catch (IOException e) {
                // nothing to report to: the JVM is exiting
            }
        }));
        HikariConfig pool = new HikariConfig();
        pool.setPoolName(nodeId);
        pool.setJdbcUrl(jdbcUrl);
        pool.setMaximumPoolSize(4);
        pool.setMinimumIdle(1);
        HikariDataSource dataSource = new HikariDataSource(pool);
        AwxAutomationRunner runner = new AwxAutomationRunner(AwxConfig.builder()
                .baseUrl(awxUrl)
                .token(FakeAwx.TOKEN)
                .jobTemplate(Operation.PROVISION, FakeAwx.PROVISION_TEMPLATE)
                .jobTemplate(Operation.UPGRADE, FakeAwx.UPGRADE_TEMPLATE)
                .jobTemplate(Operation.DECOMMISSION, FakeAwx.DECOMMISSION_TEMPLATE)
                .organizationId(FakeAwx.ORGANIZATION)
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(1))
                .retryDelays(Duration.ofMillis(50), Duration.ofMillis(200))
                .build());
        KillPoint killPoint = new KillPoint(out);
        TenantProvisioner.Builder builder = TenantProvisioner.builder()
                .repository(killPoint.repository(new JdbcJobRepository(dataSource, JdbcDialect.POSTGRESQL)))
                .rolloutRepository(killPoint.rollouts(new JdbcRolloutRepository(killPoint.dataSource(dataSource),
                        JdbcDialect.POSTGRESQL)))
                .tenantDirectory(killPoint.directory(JdbcTenantDirectory.builder(dataSource).build()))
                .runner(killPoint.runner(runner))
                .nodeId(nodeId)
                .pollInterval(INTERVAL)
                .retryDelays(Duration.ofMillis(100), Duration.ofMillis(400));
        if (!defaultLease) {
            builder.sweepInterval(INTERVAL).leaseDuration(LEASE);
        }
        TenantProvisioner provisioner = builder.build();
        out.println("BOOTED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("EXIT")) {
            if (line.equals("START")) {
                provisioner.start();
                out.println("READY");
            } else if (line.startsWith("FREEZE ")) {
                String[] words = line.substring(7).trim().split(" ");
                killPoint.arm(KillPoint.point(words[0]), words.length > 1 ? Integer.parseInt(words[1]) : 1);
            } else if (RolloutCommandLine.accepts(line)) {
                out.println(RolloutCommandLine.run(provisioner, line));
            } else if (line.startsWith("BATCH ")) {
                for (String item : line.substring(6).trim().split(" ")) {
                    out.println(request(provisioner, item));
                }
            }
        }
        provisioner.close();
        runner.close();
        dataSource.close();
        System.exit(0);
    }

    private static String request(TenantProvisioner provisioner, String item) {
        String tenant = item.substring(0, item.indexOf(':'));
        Operation operation = Operation.fromWire(item.substring(item.indexOf(':') + 1));
        try {
            ProvisioningJob job = provisioner.request(ProvisioningRequest.builder(tenant)
                    .operation(operation)
                    .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                    .releaseVersion(operation == Operation.UPGRADE ? RELEASE : null)
                    .requestedBy("crash-test")
                    .build());
            return "CREATED " + tenant + " " + job.id();
        } catch (ProvisioningException e) {
            return "REFUSED " + tenant + " " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}

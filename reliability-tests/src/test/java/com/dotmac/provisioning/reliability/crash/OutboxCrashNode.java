package com.dotmac.provisioning.reliability.crash;

import com.dotmac.provisioning.DeploymentMode;
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
 * An engine node with the durable outbox in a JVM of its own, for {@link OutboxCrashTest}: a {@link TenantProvisioner}
 * on {@link JdbcJobRepository#withOutbox()} and {@link JdbcTenantDirectory} on the parent's embedded PostgreSQL, an
 * {@link AwxAutomationRunner} against the parent's fake AWX, and one event consumer, an {@link EventFile} (the node's
 * file of received events), behind an {@link OutboxKillPoint}. Short leases ({@link CrashNode#LEASE}, which also
 * lease claimed outbox records) and short intervals, so a successor takes over within seconds. It prints
 * {@code BOOTED}, then reads commands from stdin:
 *
 * <ul>
 *   <li>{@code START}: starts the engine and its event delivery, prints {@code READY};</li>
 *   <li>{@code HOLD} / {@code RELEASE}: the node's outbox claims nothing / claims again;</li>
 *   <li>{@code FREEZE <point> [n]}: arms the kill point ({@link OutboxKillPoint.Point} by wire name);</li>
 *   <li>{@code BATCH <tenant>:<operation> ...}: requests the jobs, printing {@code CREATED <tenant> <job id>} or
 *       {@code REFUSED <tenant> <exception>} for each;</li>
 *   <li>{@code EXIT} (or the end of stdin): closes the engine and exits 0.</li>
 * </ul>
 *
 * <p>A shutdown hook writes the marker file: after a SIGKILL it must not exist. Arguments: JDBC URL, AWX base URL,
 * node id, marker file, events file.
 */
public final class OutboxCrashNode {
    /** The consumer's name (the same on every node, as the outbox's delivery needs). */
    static final String CONSUMER = "event-file";
    /** How often each node looks for events to deliver. */
    static final Duration DELIVERY_INTERVAL = Duration.ofMillis(100);

    private OutboxCrashNode() {
    }

    /**
     * @param args JDBC URL, AWX base URL, node id, shutdown-hook marker file, events file
     * @throws IOException when stdin or the events file cannot be read or opened
     */
    public static void main(String[] args) throws IOException {
        String jdbcUrl = args[0];
        String awxUrl = args[1];
        String nodeId = args[2];
        Path marker = Path.of(args[3]);
        Path events = Path.of(args[4]);
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
        OutboxKillPoint killPoint = new OutboxKillPoint(out);
        TenantProvisioner provisioner = TenantProvisioner.builder()
                .repository(killPoint.repository(new JdbcJobRepository(dataSource, JdbcDialect.POSTGRESQL)
                        .withOutbox()))
                .tenantDirectory(JdbcTenantDirectory.builder(dataSource).build())
                .runner(runner)
                .nodeId(nodeId)
                .pollInterval(CrashNode.INTERVAL)
                .sweepInterval(CrashNode.INTERVAL)
                .leaseDuration(CrashNode.LEASE)
                .retryDelays(Duration.ofMillis(100), Duration.ofMillis(400))
                .eventConsumer(CONSUMER, new EventFile(events, nodeId))
                .eventDeliveryInterval(DELIVERY_INTERVAL)
                .build();
        out.println("BOOTED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("EXIT")) {
            if (line.equals("START")) {
                provisioner.start();
                out.println("READY");
            } else if (line.equals("HOLD") || line.equals("RELEASE")) {
                killPoint.hold(line.equals("HOLD"));
                out.println(line + "_DONE");
            } else if (line.startsWith("FREEZE ")) {
                String[] words = line.substring(7).trim().split(" ");
                killPoint.arm(OutboxKillPoint.Point.of(words[0]), words.length > 1 ? Integer.parseInt(words[1]) : 1);
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
                    .releaseVersion(operation == Operation.UPGRADE ? CrashNode.RELEASE : null)
                    .requestedBy("outbox-crash-test")
                    .build());
            return "CREATED " + tenant + " " + job.id();
        } catch (ProvisioningException e) {
            return "REFUSED " + tenant + " " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}

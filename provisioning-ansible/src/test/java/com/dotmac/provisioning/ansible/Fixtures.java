package com.dotmac.provisioning.ansible;

import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ansible.internal.Executables;
import com.dotmac.provisioning.ansible.internal.RunDirectory;
import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Projects, configurations, specs and waits shared by the tests. */
final class Fixtures {
    /** The longest a playbook run may take in a test (the machine may be busy). */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(180);
    /** SIGTERM to SIGKILL in tests. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(3);
    /** The fixture's task that fails when asked to. */
    static final String FAILING_TASK = "contract failing task";

    private Fixtures() {
    }

    /** @return the repository's own Ansible content ({@code ansible/} next to this module) */
    static Path ansibleContent() {
        String configured = System.getProperty("provisioning.ansible.content");
        Path dir = (configured != null ? Path.of(configured) : Path.of("..", "ansible")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("playbooks/provision_tenant.yml"))) {
            throw new IllegalStateException("the repository's Ansible content is not at " + dir);
        }
        return dir;
    }

    /**
     * @return the test project: one playbook ({@code fixture.yml}) for every operation, on localhost; it succeeds,
     *     fails in {@link #FAILING_TASK} or hangs as the extra var {@code fixture_outcome} says, after waiting for the
     *     file {@code fixture_gate} when given
     */
    static Path fixtureProject() {
        try {
            return Path.of(Objects.requireNonNull(Fixtures.class.getResource("/fixture-project/fixture.yml"))
                    .toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param workspace the runs' workspace @return a configuration running the fixture project */
    static AnsibleRunnerConfig.Builder fixtureConfig(Path workspace) {
        AnsibleRunnerConfig.Builder builder = AnsibleRunnerConfig.builder()
                .projectDirectory(fixtureProject())
                .workspace(workspace)
                .dotmacHostedInventory("hosts.yml")
                .cancelGrace(CANCEL_GRACE);
        for (Operation op : Operation.values()) {
            builder.playbook(op, "fixture.yml");
        }
        return builder;
    }

    /**
     * @param workspace the runs' workspace
     * @param tenants the root of the tenants' workspaces (a fixed extra var: no request can move it)
     * @return a configuration running the repository's Ansible content on localhost
     */
    static AnsibleRunnerConfig.Builder contentConfig(Path workspace, Path tenants) {
        return AnsibleRunnerConfig.builder()
                .projectDirectory(ansibleContent())
                .workspace(workspace)
                .fixedExtraVar("tenant_workspace_root", tenants.toString())
                .defaultExtraVar("tenant_base_domain", "tenants.test")
                .cancelGrace(CANCEL_GRACE);
    }

    /**
     * @return a spec as the engine builds it, for a new job of a tenant
     */
    static LaunchSpec spec(String tenantId, String slug, Operation operation, DeploymentMode mode,
            Map<String, ?> extraVars, @Nullable ConnectionProfile profile, @Nullable String release) {
        Instant now = Instant.now();
        ProvisioningJob job = ProvisioningJob.builder("job-" + UUID.randomUUID())
                .tenantId(tenantId)
                .tenantSlug(slug)
                .operation(operation)
                .deploymentMode(mode)
                .status(JobStatus.QUEUED)
                .requestedBy("test")
                .createdAt(now)
                .updatedAt(now)
                .extraVars(extraVars)
                .connectionProfile(profile)
                .releaseVersion(release)
                .build();
        Map<String, Object> vars = new LinkedHashMap<>(extraVars);
        vars.put(PlaybookVariables.TENANT_ID, tenantId);
        vars.put(PlaybookVariables.TENANT_SLUG, slug);
        vars.put(PlaybookVariables.DEPLOYMENT_MODE, mode.wireName());
        vars.put(PlaybookVariables.OPERATION, operation.wireName());
        vars.put(PlaybookVariables.PROVISIONING_JOB_ID, job.id());
        if (profile != null) {
            vars.put(PlaybookVariables.CONNECTION_PROFILE, profile.toMap());
        }
        if (release != null) {
            vars.put(PlaybookVariables.RELEASE_VERSION, release);
        }
        return new LaunchSpec(job, vars, now);
    }

    /** @return a dotmac_hosted provision spec of the fixture with these extra vars */
    static LaunchSpec fixtureSpec(String tenant, Map<String, ?> extraVars) {
        return spec(tenant, tenant, Operation.PROVISION, DeploymentMode.DOTMAC_HOSTED, extraVars, null, null);
    }

    /** @return the run's final status, polled until it ends */
    static RunStatus awaitEnd(AutomationRunner runner, String runId) {
        AtomicReference<RunStatus> last = new AtomicReference<>();
        await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            RunStatus status = runner.poll(List.of(runId)).get(runId);
            last.set(status);
            return status.state().isFinal();
        });
        return last.get();
    }

    /** Waits until the run has recorded its process id, i.e. its wrapper runs; @return the process group */
    static long awaitProcessGroup(Path runDirectory) {
        Path pid = runDirectory.resolve(RunDirectory.PID);
        await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> Files.isRegularFile(pid)
                && !Files.readString(pid).isBlank());
        try {
            return Long.parseLong(Files.readString(pid).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cancels whatever still runs in the runner's workspace and waits until it ended (test hygiene). */
    static void stopAll(AnsiblePlaybookRunner runner) throws IOException {
        try (Stream<Path> runs = Files.list(runner.config().workspace())) {
            for (Path run : runs.filter(Files::isDirectory).toList()) {
                String runId = run.getFileName().toString();
                if (!Files.exists(run.resolve(RunDirectory.RC))) {
                    runner.cancel(runId);
                    awaitEnd(runner, runId);
                }
            }
        }
    }

    /** @return the files under {@code dir} whose content contains {@code secret} */
    static List<Path> filesContaining(Path dir, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> contains(f, needle)).toList();
        }
    }

    private static boolean contains(Path file, byte[] needle) {
        try {
            byte[] content = Files.readAllBytes(file);
            outer:
            for (int i = 0; i + needle.length <= content.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (content[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes an {@code ansible-playbook} stand-in that records each start in {@code starts} and then runs the real
     * one: how the tests count the processes started for a job.
     *
     * @return the stand-in's path
     */
    static Path countingAnsiblePlaybook(Path dir, Path starts) throws IOException {
        Path real = Executables.find("ansible-playbook", System.getenv("PATH"))
                .orElseThrow(() -> new IllegalStateException("ansible-playbook is not on PATH"));
        Path script = dir.resolve("counting-ansible-playbook");
        Files.writeString(script, "#!/bin/sh\necho \"$$\" >> '" + starts + "'\nexec '" + real + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** @return the lines of a file, or none when it does not exist */
    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}

package com.dotmac.provisioning.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.ansible.AnsiblePlaybookRunner;
import com.dotmac.provisioning.ansible.AnsibleRunnerConfig;
import com.dotmac.provisioning.memory.InMemoryJobRepository;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.scheduler.ExecutorScheduler;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request's traceparent reaches a real playbook: the engine with the local Ansible runner runs a one-task
 * playbook that writes the {@code traceparent} extra var it received to a file, which must hold the request span's
 * traceparent. Needs {@code ansible-playbook} and {@code setsid} on {@code PATH}: skipped without them, failed when
 * {@code PROVISIONING_REQUIRE_ANSIBLE=true}.
 */
class AnsibleTraceparentTest {
    private static final String REQUIRE_VARIABLE = "PROVISIONING_REQUIRE_ANSIBLE";
    private static final String PLAYBOOK = """
            ---
            - name: Write the traceparent the platform passed
              hosts: localhost
              gather_facts: false
              tasks:
                - name: Write it next to the playbook
                  ansible.builtin.copy:
                    content: "{{ traceparent | default('none') }}"
                    dest: "{{ playbook_dir }}/traceparent-{{ provisioning_job_id }}.txt"
                    mode: "0600"
            """;
    private static final String INVENTORY = """
            ---
            all:
              children:
                tenant_targets:
                  hosts:
                    localhost:
                      ansible_connection: local
                      ansible_python_interpreter: "{{ ansible_playbook_python }}"
            """;

    @TempDir
    Path temp;

    @BeforeAll
    static void needsAnsible() {
        String path = System.getenv("PATH");
        List<String> missing = List.of("ansible-playbook", "setsid").stream()
                .filter(tool -> path == null || Arrays.stream(path.split(File.pathSeparator))
                        .noneMatch(dir -> Files.isExecutable(Path.of(dir, tool))))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        String message = String.join(", ", missing) + " not found on PATH: install ansible-core (and util-linux for"
                + " setsid) to run AnsibleTraceparentTest";
        if (Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE))) {
            throw new IllegalStateException(message + " (" + REQUIRE_VARIABLE + "=true makes this a failure)");
        }
        Assumptions.abort(message + "; skipped (set " + REQUIRE_VARIABLE + "=true to make this a failure)");
    }

    @Test
    void thePlaybookReceivesTheRequestSpansTraceparent() throws Exception {
        Path project = Files.createDirectories(temp.resolve("project"));
        Files.writeString(project.resolve("trace.yml"), PLAYBOOK);
        Files.writeString(project.resolve("hosts.yml"), INVENTORY);
        AnsibleRunnerConfig.Builder config = AnsibleRunnerConfig.builder()
                .projectDirectory(project)
                .workspace(temp.resolve("runs"))
                .dotmacHostedInventory("hosts.yml")
                .cancelGrace(Duration.ofSeconds(3));
        for (Operation op : Operation.values()) {
            config.playbook(op, "trace.yml");
        }
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        InMemoryTenantDirectory tenants = new InMemoryTenantDirectory();
        tenants.put("t-1", "acme", "pending");
        AnsiblePlaybookRunner runner = new AnsiblePlaybookRunner(config.build());
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
                ExecutorScheduler scheduler = new ExecutorScheduler(2, Duration.ofSeconds(10));
                TenantProvisioner provisioner = TenantProvisioner.builder()
                        .repository(new InMemoryJobRepository())
                        .tenantDirectory(tenants)
                        .runner(runner)
                        .scheduler(scheduler)
                        .pollInterval(Duration.ofMillis(200))
                        .sweepInterval(Duration.ofMillis(200))
                        .tracer(new OpenTelemetryJobTracer(otel))
                        .build()) {
            provisioner.start();
            Span parent = otel.getTracer("test").spanBuilder("POST").startSpan();
            ProvisioningJob requested;
            try (Scope ignored = parent.makeCurrent()) {
                requested = provisioner.request(ProvisioningRequest.provision("t-1", DeploymentMode.DOTMAC_HOSTED));
            } finally {
                parent.end();
            }

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                    .until(() -> provisioner.job(requested.id()).orElseThrow().status().isTerminal());

            ProvisioningJob ended = provisioner.job(requested.id()).orElseThrow();
            assertThat(ended.status()).as("%s %s", ended.errorCode(), ended.errorMessage())
                    .isEqualTo(JobStatus.SUCCEEDED);
            SpanData request = exporter.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals(OpenTelemetryJobTracer.REQUEST)).findFirst().orElseThrow();
            String expected = "00-" + parent.getSpanContext().getTraceId() + "-" + request.getSpanId() + "-01";
            assertThat(ended.traceparent()).isEqualTo(expected);
            assertThat(Files.readString(project.resolve("traceparent-" + ended.id() + ".txt"))).isEqualTo(expected);
        }
    }
}

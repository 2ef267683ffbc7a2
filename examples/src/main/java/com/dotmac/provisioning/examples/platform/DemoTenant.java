package com.dotmac.provisioning.examples.platform;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.ProvisioningRequest;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.spi.AutomationRunner;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * At start-up, creates the demo tenant (when missing) with its credential {@code demo-ssh} and provisions it through
 * the library, then logs how it ended and the curl commands to look at it. Off with {@code example.demo-tenant.enabled=false}.
 */
@Component
class DemoTenant implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoTenant.class);

    private final JdbcClient jdbc;
    private final TenantCredentials credentials;
    private final TenantProvisioner provisioner;
    private final ApplicationContext context;
    private final boolean enabled;
    private final String tenantId;

    DemoTenant(JdbcClient jdbc, TenantCredentials credentials, TenantProvisioner provisioner, ApplicationContext context,
            @Value("${example.demo-tenant.enabled:true}") boolean enabled,
            @Value("${example.demo-tenant.id:demo}") String tenantId) {
        this.jdbc = jdbc;
        this.credentials = credentials;
        this.provisioner = provisioner;
        this.context = context;
        this.enabled = enabled;
        this.tenantId = tenantId;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled) {
            return;
        }
        jdbc.sql("INSERT INTO tenants (id, slug, name, status) SELECT ?, ?, 'Demo tenant', 'pending' "
                + "WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE id = ?)").params(tenantId, tenantId, tenantId)
                .update();
        credentials.registerDefault(tenantId, tenantId);
        String status = jdbc.sql("SELECT status FROM tenants WHERE id = ?").param(tenantId).query(String.class)
                .single();
        if (!status.equals("pending") && !status.equals("failed_provisioning")) {
            log.info("demo tenant '{}' is already {}; {}", tenantId, status, curlHint());
            return;
        }
        AutomationRunner runner = provisioner.runner();
        ProvisioningJob job = provisioner.request(ProvisioningRequest.builder(tenantId)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).requestedBy("example-platform").build());
        log.info("provisioning demo tenant '{}' with {} (job {})", tenantId, runner.getClass().getSimpleName(),
                job.id());
        Thread watcher = new Thread(() -> watch(job.id()), "demo-tenant-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch(String jobId) {
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(giveUp)) {
            ProvisioningJob job = provisioner.job(jobId).orElseThrow();
            if (job.status().isTerminal()) {
                log.info("demo tenant '{}': job {} {}{}; {}", tenantId, jobId, job.status().wireName(),
                        job.errorMessage() == null ? "" : " (" + job.errorMessage() + ")", curlHint());
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String curlHint() {
        int port = context instanceof WebServerApplicationContext web && web.getWebServer() != null
                ? web.getWebServer().getPort() : 8080;
        return "see it with: curl -u admin:admin-demo-password http://localhost:" + port + "/api/v1/tenants/"
                + tenantId + "  and its jobs: curl -u admin:admin-demo-password http://localhost:" + port
                + "/api/v1/tenants/" + tenantId + "/provisioning/jobs";
    }
}

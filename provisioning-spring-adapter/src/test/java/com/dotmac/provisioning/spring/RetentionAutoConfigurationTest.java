package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.EngineSettings;
import com.dotmac.provisioning.RetentionSettings;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.memory.InMemoryTenantDirectory;
import com.dotmac.provisioning.spi.TenantDirectory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Issue 15, item 13: the {@code provisioning.retention.*} properties reach the engine; retention is off by default. */
class RetentionAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ProvisioningAutoConfiguration.class))
            .withBean(TenantDirectory.class, InMemoryTenantDirectory::new)
            .withPropertyValues("provisioning.runner=scripted");

    @Test
    void theRetentionPropertiesReachTheEngine() {
        runner.withPropertyValues("provisioning.retention.finished-jobs-after=30d",
                "provisioning.retention.batch-size=100", "provisioning.retention.interval=5m")
                .run(ctx -> assertThat(ctx.getBean(TenantProvisioner.class).settings().retention())
                        .isEqualTo(new RetentionSettings(Duration.ofDays(30), 100, Duration.ofMinutes(5))));
    }

    @Test
    void finishedJobsAfterAloneKeepsTheDefaultBatchAndInterval() {
        runner.withPropertyValues("provisioning.retention.finished-jobs-after=90d")
                .run(ctx -> assertThat(ctx.getBean(TenantProvisioner.class).settings().retention())
                        .isEqualTo(RetentionSettings.keepFinishedJobsFor(Duration.ofDays(90))));
    }

    @Test
    void withoutRetentionPropertiesFinishedJobsAreKept() {
        runner.run(ctx -> assertThat(ctx.getBean(TenantProvisioner.class).settings().retention())
                .isEqualTo(EngineSettings.DEFAULT_RETENTION).isEqualTo(RetentionSettings.OFF)
                .satisfies(r -> assertThat(r.isOn()).isFalse()));
    }

    @Test
    void aNegativeRetentionIsRefusedAtStartUp() {
        runner.withPropertyValues("provisioning.retention.finished-jobs-after=-1d")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasRootCauseMessage(
                        "finishedJobsKeptFor must be zero (retention off) or positive"));
    }
}

package com.dotmac.provisioning.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.jdbc.JdbcTenantDirectory;
import com.dotmac.provisioning.spi.TenantDirectory;
import com.dotmac.provisioning.spring.RestCalls.Reply;
import com.dotmac.provisioning.testkit.RequestRace;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Two POSTs with one {@code Idempotency-Key} at the same moment: one 201, one 200, one job. The host's tenant
 * directory holds both requests until both have done every read before it ({@link RequestRace}).
 */
@Import(ConcurrentIdempotencyApiTest.RacingTenants.class)
class ConcurrentIdempotencyApiTest extends ApiTestBase {

    @Autowired
    RequestRace race;

    @Test
    void twoConcurrentRequestsWithOneKeyAre201Then200ForTheSameJob() {
        String body = "{\"deployment_mode\": \"dotmac_hosted\"}";

        List<Reply> replies = race.race(() -> call("POST", jobs(), "admin", body, "Idempotency-Key", "race-1"));

        assertThat(replies).extracting(Reply::status).containsExactlyInAnyOrder(201, 200);
        assertThat(replies.get(0).json().get("id")).isEqualTo(replies.get(1).json().get("id"));
        assertThat(storedJobs(tenant)).isEqualTo(1);
    }

    @Test
    void twoConcurrentUpgradesWithOneKeyAre201Then200ForTheSameJob() {
        insertTenant(tenant, "provisioned");
        String body = "{\"deployment_mode\": \"dotmac_hosted\", \"operation\": \"upgrade\", "
                + "\"release_version\": \"2.4.1\"}";

        List<Reply> replies = race.race(() -> call("POST", jobs(), "admin", body, "Idempotency-Key", "race-2"));

        assertThat(replies).extracting(Reply::status).containsExactlyInAnyOrder(201, 200);
        assertThat(replies.get(0).json().get("id")).isEqualTo(replies.get(1).json().get("id"));
        assertThat(storedJobs(tenant)).isEqualTo(1);
    }

    /** The host's tenants table behind a {@link RequestRace}: the {@link TenantDirectory} the library uses. */
    @TestConfiguration
    static class RacingTenants {
        @Bean
        RequestRace race(DataSource dataSource) {
            return new RequestRace(JdbcTenantDirectory.builder(dataSource).table("tenants").build());
        }
    }
}

package com.dotmac.provisioning.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Rollout requests, plans, thresholds and selections: what they accept, and every field they refuse, by name. */
class RolloutValuesTest {

    @Test
    void wavesByPercentageSplitTheTenantsAfterTheCanaryAndAddUpExactly() {
        RolloutPlan plan = RolloutPlan.builder().canary(5).wavePercents(10, 40, 50).build();

        assertThat(plan.waveSizesFor(1000)).containsExactly(5, 100, 398, 497);
        assertThat(plan.waveSizesFor(1000).stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        // a small rollout: every wave gets a tenant while there are tenants left; empty waves are dropped
        assertThat(plan.waveSizesFor(8)).containsExactly(5, 1, 1, 1);
        assertThat(plan.waveSizesFor(6)).containsExactly(5, 1);
        assertThat(plan.waveSizesFor(5)).containsExactly(5);
    }

    @Test
    void wavesBySizeMustAddUpToTheTenantsAfterTheCanary() {
        RolloutPlan plan = RolloutPlan.builder().canary(2).waveSizes(3, 5).build();

        assertThat(plan.waveSizesFor(10)).containsExactly(2, 3, 5);
        assertThat(fields(() -> plan.waveSizesFor(12))).containsExactly(
                new FieldError("plan.waves", "the wave sizes add up to 8 but the rollout has 10 tenants after the"
                        + " canary"));
        assertThat(fields(() -> plan.waveSizesFor(1))).extracting(FieldError::field).containsExactly("plan.canary");
    }

    @Test
    void withoutWavesTheTenantsAfterTheCanaryAreOneWave() {
        assertThat(RolloutPlan.builder().build().waveSizesFor(7)).containsExactly(7);
        assertThat(RolloutPlan.builder().canary(1).build().waveSizesFor(7)).containsExactly(1, 6);
        assertThat(RolloutPlan.builder().build().waveSizesFor(0)).isEmpty();
    }

    @Test
    void aBadPlanNamesEveryBadField() {
        assertThat(fields(() -> RolloutPlan.builder().canary(-1).waveSizes(2).wavePercents(50, 50).maxParallel(0)
                .pauseBetweenWaves(Duration.ofDays(8)).build())).extracting(FieldError::field)
                .containsExactly("plan.canary", "plan.waves", "plan.max_parallel", "plan.pause_between_waves");
        assertThat(fields(() -> RolloutPlan.builder().wavePercents(30, 30).build())).extracting(FieldError::message)
                .containsExactly("the wave percentages must add up to 100, not 60: [30, 30]");
        assertThat(fields(() -> RolloutPlan.builder().waveSizes(3, 0).build())).extracting(FieldError::field)
                .containsExactly("plan.waves");
        assertThat(fields(() -> RolloutPlan.builder().maxParallel(RolloutPlan.MAX_PARALLEL + 1).build()))
                .extracting(FieldError::field).containsExactly("plan.max_parallel");
    }

    @Test
    void aPercentageThresholdIsJudgedOnTheFinishedJobs() {
        FailureThreshold tenPercent = FailureThreshold.percent(10);

        assertThat(tenPercent.isCrossedBy(3, 20)).as("3 of the first 20 failed").isTrue();
        assertThat(tenPercent.isCrossedBy(2, 20)).as("2 of 20 is exactly 10 %").isFalse();
        assertThat(tenPercent.isCrossedBy(0, 0)).isFalse();
        assertThat(FailureThreshold.count(2).isCrossedBy(2, 3)).isFalse();
        assertThat(FailureThreshold.count(2).isCrossedBy(3, 1000)).isTrue();
        assertThat(FailureThreshold.NONE_TOLERATED.isCrossedBy(1, 1000)).isTrue();
        assertThat(tenPercent.describe()).isEqualTo("more than 10 % of finished jobs failed");
    }

    @Test
    void aThresholdIsACountOrAPercentageInRange() {
        assertThat(fields(() -> FailureThreshold.percent(101))).extracting(FieldError::field)
                .containsExactly("plan.failure_threshold");
        assertThat(fields(() -> new FailureThreshold(1, 10))).extracting(FieldError::message)
                .containsExactly("set either max_failures or max_failed_percent, not both");
        assertThat(fields(() -> new FailureThreshold(-1, -1))).extracting(FieldError::message)
                .containsExactly("set either max_failures or max_failed_percent, not neither");
    }

    @Test
    void aListOfTenantsMustBeNonEmptyWellFormedAndWithoutRepeats() {
        assertThat(fields(() -> TenantSelection.of(List.of()))).extracting(FieldError::field)
                .containsExactly("tenants");
        assertThat(fields(() -> TenantSelection.of(List.of("acme", "beta", "acme", "beta", "gamma"))))
                .extracting(FieldError::message).containsExactly("names tenants more than once: acme, beta");
        assertThat(fields(() -> TenantSelection.of(Arrays.asList("acme", "../etc", null))))
                .extracting(FieldError::message).singleElement().asString()
                .endsWith("'../etc', null");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= RolloutPlan.MAX_MEMBERS; i++) {
            tooMany.add("t" + i);
        }
        assertThat(fields(() -> TenantSelection.of(tooMany))).extracting(FieldError::field).containsExactly("tenants");
        assertThat(TenantSelection.of(List.of("b", "a"))).isEqualTo(new TenantSelection.Listed(List.of("b", "a")));
    }

    @Test
    void aSelectionByStatusNeedsAWellFormedStatus() {
        assertThat(TenantSelection.inStatus("provisioned")).isEqualTo(new TenantSelection.InStatus("provisioned"));
        assertThat(fields(() -> TenantSelection.inStatus("provisioned' OR 1=1"))).extracting(FieldError::field)
                .containsExactly("selection.status");
    }

    @Test
    void anUpgradeRolloutIsCheckedAsASingleRequestAndMakesEachMembersRequest() {
        RolloutRequest rollout = RolloutRequest.builder(Operation.UPGRADE).tenants(TenantSelection.of(List.of("acme")))
                .releaseVersion("2.4.0").extraVar("feature_flags", Map.of("beta", true)).requestedBy("alice").build();
        ConnectionProfile profile = new ConnectionProfile("203.0.113.10", 22, "deploy", "ssh-key-17");

        ProvisioningRequest member = rollout.jobs().memberRequest("acme", DeploymentMode.CUSTOMER_HOSTED, profile,
                RolloutMember.waiting("r-42", "acme", 0, 0, java.time.Instant.EPOCH).jobKey());

        assertThat(member.tenantId()).isEqualTo("acme");
        assertThat(member.operation()).isEqualTo(Operation.UPGRADE);
        assertThat(member.deploymentMode()).isEqualTo(DeploymentMode.CUSTOMER_HOSTED);
        assertThat(member.connectionProfile()).isEqualTo(profile);
        assertThat(member.releaseVersion()).isEqualTo("2.4.0");
        assertThat(member.extraVars()).isEqualTo(Map.of("feature_flags", Map.of("beta", true)));
        assertThat(member.requestedBy()).isEqualTo("alice");
        assertThat(member.idempotencyKey()).isEqualTo("rollout:r-42:0");
    }

    @Test
    void aBadRolloutRequestNamesEveryBadFieldAsASingleRequestWould() {
        assertThat(fields(() -> RolloutRequest.builder(Operation.UPGRADE).tenants(TenantSelection.of(List.of("a")))
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED).extraVar("tenant_id", "other")
                .extraVar("x", "{{ lookup('env', 'HOME') }}").build())).extracting(FieldError::field)
                .contains("deployment_mode", "release_version", "extra_vars.tenant_id", "extra_vars.x");
        assertThat(fields(() -> RolloutRequest.builder(Operation.PROVISION).tenants(TenantSelection.of(List.of("a")))
                .build())).extracting(FieldError::field).containsExactly("deployment_mode");
        assertThat(fields(() -> RolloutRequest.builder(Operation.PROVISION).tenants(TenantSelection.of(List.of("a")))
                .deploymentMode(DeploymentMode.CUSTOMER_HOSTED).build())).extracting(FieldError::field)
                .containsExactly("deployment_mode");
        assertThat(fields(() -> RolloutRequest.builder(Operation.DECOMMISSION).releaseVersion("1.0").build()))
                .extracting(FieldError::field).containsExactlyInAnyOrder("tenants", "release_version");
    }

    @Test
    void theRolloutStatusMovesOnlyAlongItsTable() {
        assertThat(RolloutTransition.THRESHOLD_CROSSED.apply(RolloutStatus.RUNNING)).isEqualTo(RolloutStatus.PAUSED);
        assertThat(RolloutTransition.ABORT_REQUESTED.apply(RolloutStatus.PAUSED)).isEqualTo(RolloutStatus.ABORTING);
        assertThatThrownBy(() -> RolloutTransition.RESUMED.apply(RolloutStatus.RUNNING))
                .isInstanceOf(IllegalRolloutTransitionException.class)
                .hasMessage("a running rollout cannot be resumed (only a rollout that is paused)");
        assertThatThrownBy(() -> RolloutTransition.ABORT_REQUESTED.apply(RolloutStatus.COMPLETED))
                .hasMessage("a completed rollout cannot be abort requested (completed is final)");
        for (RolloutTransition t : RolloutTransition.values()) {
            assertThat(t.from()).as("%s starts from a live status", t).noneMatch(RolloutStatus::isTerminal);
        }
        assertThat(RolloutStatus.fromWire("aborting")).isEqualTo(RolloutStatus.ABORTING);
    }

    private static List<FieldError> fields(ThrowingCallable call) {
        InvalidRequestException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                InvalidRequestException.class, call);
        if (e == null) {
            throw new AssertionError("expected an InvalidRequestException");
        }
        return e.fieldErrors();
    }
}

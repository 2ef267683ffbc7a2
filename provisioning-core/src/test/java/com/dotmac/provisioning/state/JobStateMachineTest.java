package com.dotmac.provisioning.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.IllegalTransitionException;
import com.dotmac.provisioning.JobStatus;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.TenantStatus;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStateMachineTest {
    @Test
    void theTableHoldsExactlyTheDesignedMoves() {
        assertThat(JobStateMachine.targets(JobStatus.QUEUED))
                .containsExactlyInAnyOrder(JobStatus.IN_PROGRESS, JobStatus.FAILED, JobStatus.CANCELLED);
        assertThat(JobStateMachine.targets(JobStatus.IN_PROGRESS)).containsExactlyInAnyOrder(JobStatus.SUCCEEDED,
                JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.TIMED_OUT);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"})
    void terminalStatesAreFinal(JobStatus terminal) {
        assertThat(JobStateMachine.targets(terminal)).isEmpty();
        for (JobStatus to : JobStatus.values()) {
            assertThatThrownBy(() -> JobStateMachine.check(terminal, to))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("is final");
        }
    }

    @Test
    void anythingOutsideTheTableThrows() {
        int allowed = 0;
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                if (JobStateMachine.allows(from, to)) {
                    allowed++;
                } else {
                    assertThatThrownBy(() -> JobStateMachine.check(from, to))
                            .isInstanceOf(IllegalTransitionException.class);
                }
            }
        }
        assertThat(allowed).isEqualTo(Transition.values().length);
    }

    @ParameterizedTest
    @EnumSource(Transition.class)
    void aTransitionAppliesOnlyFromItsSource(Transition transition) {
        assertThat(JobStateMachine.apply(transition.from(), transition)).isEqualTo(transition.to());
        for (JobStatus other : EnumSet.complementOf(EnumSet.of(transition.from()))) {
            assertThatThrownBy(() -> JobStateMachine.apply(other, transition))
                    .isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void tenantStatusFollowsTheDesignTable() {
        String[][] expected = {
            {"provisioning", "provisioned", "failed_provisioning"},
            {"upgrading", "provisioned", "failed_upgrade"},
            {"decommissioning", "decommissioned", "failed_decommission"},
        };
        Operation[] operations = {Operation.PROVISION, Operation.UPGRADE, Operation.DECOMMISSION};
        for (int i = 0; i < operations.length; i++) {
            Operation op = operations[i];
            assertThat(TenantStatusRules.tenantStatusFor(op, JobStatus.QUEUED)).isEqualTo(expected[i][0]);
            assertThat(TenantStatusRules.tenantStatusFor(op, JobStatus.IN_PROGRESS)).isEqualTo(expected[i][0]);
            assertThat(TenantStatusRules.tenantStatusFor(op, JobStatus.SUCCEEDED)).isEqualTo(expected[i][1]);
            for (JobStatus bad : EnumSet.of(JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.TIMED_OUT)) {
                assertThat(TenantStatusRules.tenantStatusFor(op, bad)).isEqualTo(expected[i][2]);
            }
        }
    }

    @Test
    void theDefaultPolicyFollowsTheDesign() {
        OperationPolicy p = OperationPolicy.DEFAULT;
        assertThat(p.allows(Operation.PROVISION, "pending")).isTrue();
        assertThat(p.allows(Operation.PROVISION, TenantStatus.FAILED_PROVISIONING)).isTrue();
        assertThat(p.allows(Operation.PROVISION, TenantStatus.PROVISIONED)).isFalse();
        assertThat(p.allows(Operation.PROVISION, TenantStatus.ACTIVE)).isFalse();
        assertThat(p.allows(Operation.PROVISION, TenantStatus.DECOMMISSIONED)).isFalse();
        assertThat(p.allows(Operation.UPGRADE, TenantStatus.PROVISIONED)).isTrue();
        assertThat(p.allows(Operation.UPGRADE, TenantStatus.ACTIVE)).isTrue();
        assertThat(p.allows(Operation.UPGRADE, TenantStatus.FAILED_UPGRADE)).isTrue();
        assertThat(p.allows(Operation.UPGRADE, "pending")).isFalse();
        assertThat(p.allows(Operation.DECOMMISSION, TenantStatus.ACTIVE)).isTrue();
        assertThat(p.allows(Operation.DECOMMISSION, TenantStatus.DECOMMISSIONED)).isFalse();
    }

    @Test
    void wireNamesRoundTrip() {
        for (JobStatus s : JobStatus.values()) {
            assertThat(JobStatus.fromWire(s.wireName())).isEqualTo(s);
        }
        assertThat(JobStatus.IN_PROGRESS.wireName()).isEqualTo("in_progress");
        assertThatThrownBy(() -> com.dotmac.provisioning.DeploymentMode.fromWire("on_mars"))
                .hasMessageContaining("dotmac_hosted, customer_hosted");
    }
}

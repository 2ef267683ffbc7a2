package com.dotmac.provisioning.reliability.crash;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.ProvisioningException;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.rollout.FailureThreshold;
import com.dotmac.provisioning.rollout.Rollout;
import com.dotmac.provisioning.rollout.RolloutPlan;
import com.dotmac.provisioning.rollout.RolloutRequest;
import com.dotmac.provisioning.rollout.RolloutSubmission;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.rollout.TenantSelection;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The rollout commands of a {@link CrashNode}, one stdin line each, answered with one stdout line:
 *
 * <ul>
 *   <li>{@code ROLLOUT <idempotency key or -> <canary> <wave sizes, comma-separated> <maxParallel> <failures
 *       tolerated> <tenant,tenant,...>}: starts a provision rollout; answers {@code ROLLOUT <id> <status> created}
 *       (or {@code repeat} when its idempotency key gave an earlier rollout) or {@code ROLLOUT_REFUSED
 *       <exception>};</li>
 *   <li>{@code RESUME <id> retry|skip}: resumes a paused rollout; answers {@code RESUMED <id> <status>} or
 *       {@code RESUME_REFUSED <exception>}.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class RolloutCommandLine {
    /** Who the node's rollouts are requested by. */
    static final String REQUESTED_BY = "rollout-crash-test";

    private RolloutCommandLine() {
    }

    /**
     * @param line a stdin line
     * @return whether it is a rollout command
     */
    static boolean accepts(String line) {
        return line.startsWith("ROLLOUT ") || line.startsWith("RESUME ");
    }

    /**
     * @param provisioner the node's engine
     * @param line a rollout command
     * @return the answer line
     */
    static String run(TenantProvisioner provisioner, String line) {
        String[] words = line.trim().split(" ");
        boolean start = words[0].equals("ROLLOUT");
        try {
            return start ? start(provisioner, words) : resume(provisioner.rollouts(), words);
        } catch (ProvisioningException | IllegalArgumentException | IllegalStateException e) {
            return (start ? "ROLLOUT_REFUSED " : "RESUME_REFUSED ") + e.getClass().getSimpleName() + ": "
                    + e.getMessage();
        }
    }

    private static String start(TenantProvisioner provisioner, String[] words) {
        String key = words[1];
        RolloutPlan plan = RolloutPlan.builder()
                .canary(Integer.parseInt(words[2]))
                .waveSizes(Arrays.stream(words[3].split(",")).map(Integer::valueOf).toList())
                .maxParallel(Integer.parseInt(words[4]))
                .failureThreshold(FailureThreshold.count(Integer.parseInt(words[5])))
                .build();
        List<String> tenants = List.of(words[6].split(","));
        RolloutRequest.Builder request = RolloutRequest.builder(Operation.PROVISION)
                .deploymentMode(DeploymentMode.DOTMAC_HOSTED)
                .tenants(TenantSelection.of(tenants))
                .requestedBy(REQUESTED_BY)
                .plan(plan);
        if (!key.equals("-")) {
            request.idempotencyKey(key);
        }
        RolloutSubmission submission = provisioner.rollouts().submit(request.build());
        Rollout rollout = submission.rollout();
        return "ROLLOUT " + rollout.id() + " " + rollout.status().wireName() + " "
                + (submission.created() ? "created" : "repeat");
    }

    private static String resume(Rollouts rollouts, String[] words) {
        Rollouts.FailedMembers failed = Rollouts.FailedMembers.valueOf(words[2].toUpperCase(Locale.ROOT));
        Rollout rollout = rollouts.resume(words[1], REQUESTED_BY, failed);
        return "RESUMED " + rollout.id() + " " + rollout.status().wireName();
    }
}

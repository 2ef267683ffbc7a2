package com.dotmac.provisioning.ansible;

/**
 * One host's line of a run's recap ({@code PLAY RECAP}).
 *
 * @param ok tasks that succeeded (changed or not)
 * @param changed tasks that changed something
 * @param failures tasks that failed
 * @param unreachable tasks that could not reach the host
 * @param skipped tasks skipped
 * @param rescued failures rescued by a block
 * @param ignored failures ignored ({@code ignore_errors})
 */
public record HostStats(long ok, long changed, long failures, long unreachable, long skipped, long rescued,
        long ignored) {
}

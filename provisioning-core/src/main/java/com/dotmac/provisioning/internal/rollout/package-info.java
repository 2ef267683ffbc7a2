/**
 * The rollout engine (not API): {@link com.dotmac.provisioning.internal.rollout.RolloutCommands} answers the
 * {@link com.dotmac.provisioning.rollout.Rollouts} calls; {@link com.dotmac.provisioning.internal.rollout.RolloutSweeper}
 * claims due rollouts and hands each to {@link com.dotmac.provisioning.internal.rollout.RolloutStep}, which follows
 * the members' jobs ({@link com.dotmac.provisioning.internal.rollout.MemberOutcomes}), applies the failure threshold,
 * switches waves and starts members ({@link com.dotmac.provisioning.internal.rollout.MemberStarter}).
 */
@NullMarked
package com.dotmac.provisioning.internal.rollout;

import org.jspecify.annotations.NullMarked;

/**
 * Fleet rollouts on embedded PostgreSQL and the fake AWX: the rollout's cap on runs in flight across three engines,
 * the failure threshold and a resume that retries only the failed tenants, and single requests beside a rollout
 * that fills its share of the cap. Every test here is tagged {@code reliability} and {@code rollout}.
 */
@NullMarked
package com.dotmac.provisioning.reliability.rollout;

import org.jspecify.annotations.NullMarked;

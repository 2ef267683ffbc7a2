/**
 * Fleet rollouts: one operation (an upgrade first) rolled across many tenants in waves — a canary, then waves by size
 * or percentage — with a cap on this rollout's runs in flight, a failure threshold that pauses it, and operations to
 * pause, resume and abort it. The values here are immutable and validated when built, like
 * {@link com.dotmac.provisioning.ProvisioningRequest}: every problem is reported at once as an
 * {@link com.dotmac.provisioning.InvalidRequestException} naming the fields by their REST names.
 */
@NullMarked
package com.dotmac.provisioning.rollout;

import org.jspecify.annotations.NullMarked;

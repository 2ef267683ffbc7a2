/**
 * Back-off between retries: {@link com.dotmac.provisioning.retry.Backoff}, an immutable exponential back-off with
 * jitter, capped and overflow-safe. The engine times its job and tenant-status retries with it, and the runners
 * their own request retries; a host may use it for its own retries too.
 *
 * <p>This package is API. Everything here is immutable and thread-safe, except {@code Backoff.Builder}.
 */
@NullMarked
package com.dotmac.provisioning.retry;

import org.jspecify.annotations.NullMarked;

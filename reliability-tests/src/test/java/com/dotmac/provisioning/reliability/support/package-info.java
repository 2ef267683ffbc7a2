/**
 * Shared test plumbing: one embedded PostgreSQL per JVM with a schema per test, a delaying front for the fake AWX,
 * scale settings, figures, log capture and secret scanning.
 */
@NullMarked
package com.dotmac.provisioning.reliability.support;

import org.jspecify.annotations.NullMarked;

/**
 * The core's implementation (the engine, in {@code internal.engine}). Not API: anything here may change in any
 * release, and no other module imports it (each module's {@code ModuleBoundariesTest} checks that). What adapters
 * legitimately share is public, in {@code com.dotmac.provisioning.rules}.
 */
@NullMarked
package com.dotmac.provisioning.internal;

import org.jspecify.annotations.NullMarked;

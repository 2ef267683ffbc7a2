/**
 * Implementation details of {@code provisioning-jdbc}: SQL text per dialect, row mapping, time and JSON conversion,
 * claiming and rescheduling strategies. Public only so that the module's classes can share them; not an API.
 */
@NullMarked
package com.dotmac.provisioning.jdbc.internal;

import org.jspecify.annotations.NullMarked;

/**
 * Implementation details of the core. Not API: anything here may change in any release, and no other module uses it.
 */
@NullMarked
package com.dotmac.provisioning.internal;

import org.jspecify.annotations.NullMarked;

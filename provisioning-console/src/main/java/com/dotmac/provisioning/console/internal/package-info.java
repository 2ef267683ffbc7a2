/** The console's controllers and view helpers. Not API: only the console's auto-configuration uses them. */
@NullMarked
package com.dotmac.provisioning.console.internal;

import org.jspecify.annotations.NullMarked;

/** Runnable examples of the tenant provisioning library. */
@NullMarked
package com.dotmac.provisioning.examples;

import org.jspecify.annotations.NullMarked;

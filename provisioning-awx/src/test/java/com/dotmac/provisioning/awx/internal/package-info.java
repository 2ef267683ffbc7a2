/** Unit tests of the AWX runner's transport. */
@NullMarked
package com.dotmac.provisioning.awx.internal;

import org.jspecify.annotations.NullMarked;

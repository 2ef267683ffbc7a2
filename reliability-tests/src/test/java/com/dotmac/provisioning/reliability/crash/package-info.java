/** Crash recovery: engines in child JVMs killed with SIGKILL at random points of the job lifecycle, then restarted. */
@NullMarked
package com.dotmac.provisioning.reliability.crash;

import org.jspecify.annotations.NullMarked;

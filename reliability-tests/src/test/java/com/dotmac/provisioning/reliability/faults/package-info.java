/** The AWX fault matrix: each fault and the job outcome and message it must lead to, stepped deterministically. */
@NullMarked
package com.dotmac.provisioning.reliability.faults;

import org.jspecify.annotations.NullMarked;

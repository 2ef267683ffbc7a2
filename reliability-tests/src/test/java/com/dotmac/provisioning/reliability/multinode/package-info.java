/** Several engines on one PostgreSQL under random AWX latency and injected faults. */
@NullMarked
package com.dotmac.provisioning.reliability.multinode;

import org.jspecify.annotations.NullMarked;

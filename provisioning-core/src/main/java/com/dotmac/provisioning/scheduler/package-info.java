/** The default {@link com.dotmac.provisioning.spi.Scheduler}: a small pool of daemon threads. */
@NullMarked
package com.dotmac.provisioning.scheduler;

import org.jspecify.annotations.NullMarked;

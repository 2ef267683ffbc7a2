/** Secrets (AWX token and password, callback secret, job tokens) never reach logs or rows. */
@NullMarked
package com.dotmac.provisioning.reliability.secrets;

import org.jspecify.annotations.NullMarked;

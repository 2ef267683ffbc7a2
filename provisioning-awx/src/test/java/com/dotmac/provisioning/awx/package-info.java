/** Tests of the AWX runner against {@link com.dotmac.provisioning.awx.fake.FakeAwx}. */
@NullMarked
package com.dotmac.provisioning.awx;

import org.jspecify.annotations.NullMarked;

/** Actuator health and Micrometer metrics of the provisioning library. */
@NullMarked
package com.dotmac.provisioning.spring.actuate;

import org.jspecify.annotations.NullMarked;

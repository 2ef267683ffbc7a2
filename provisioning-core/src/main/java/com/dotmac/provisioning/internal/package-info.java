/**
 * Implementation details shared by the library's modules. Not API: anything here may change in any release.
 */
@NullMarked
package com.dotmac.provisioning.internal;

import org.jspecify.annotations.NullMarked;

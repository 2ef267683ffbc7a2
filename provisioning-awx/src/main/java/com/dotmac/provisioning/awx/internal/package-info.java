/**
 * Implementation details of the AWX runner: the HTTP client, JSON mapping, inventory rendering and failure
 * details. Public only for the runner; not an API, may change without notice.
 */
@NullMarked
package com.dotmac.provisioning.awx.internal;

import org.jspecify.annotations.NullMarked;

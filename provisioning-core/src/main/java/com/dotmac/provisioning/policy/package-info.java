/**
 * What a request may choose, as the host allows it: the extra vars it may set
 * ({@link com.dotmac.provisioning.policy.RequestVariables}, an allow-list of
 * {@link com.dotmac.provisioning.policy.RequestVariable}s) and the templates it may name instead of the configured
 * ones ({@link com.dotmac.provisioning.policy.TemplateOverrides}). Credentials are a port:
 * {@link com.dotmac.provisioning.spi.CredentialPolicy}. {@code docs/SECURITY.md} explains the threat model.
 */
@NullMarked
package com.dotmac.provisioning.policy;

import org.jspecify.annotations.NullMarked;

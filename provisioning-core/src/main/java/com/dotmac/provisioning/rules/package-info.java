/**
 * Rules that the library's modules and a host's own adapters share: input validation ({@link
 * com.dotmac.provisioning.rules.InputRules}, {@link com.dotmac.provisioning.rules.ExtraVarsRules}), collecting field
 * errors ({@link com.dotmac.provisioning.rules.FieldErrors}), the names enums carry on the wire ({@link
 * com.dotmac.provisioning.rules.WireNames}), copying JSON-like values ({@link
 * com.dotmac.provisioning.rules.JsonValues}) and small string helpers ({@link com.dotmac.provisioning.rules.Strings}).
 *
 * <p>This package is API: a REST layer, a repository or a runner written outside this repository may use it to apply
 * the same rules the library applies. Every class here is stateless and thread-safe, except {@code FieldErrors},
 * which is a per-request collector confined to one thread.
 */
@NullMarked
package com.dotmac.provisioning.rules;

import org.jspecify.annotations.NullMarked;

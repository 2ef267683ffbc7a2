/**
 * The strict Jackson 3 codec of JSON-like values that the library's modules share ({@link
 * com.dotmac.provisioning.json.JsonValuesCodec}). The core has no JSON codec; this module is where JSON text is made
 * and read for stored columns and the local runner's files.
 */
@NullMarked
package com.dotmac.provisioning.json;

import org.jspecify.annotations.NullMarked;

/**
 * The REST API's request and response bodies as records. They are read and written only with the API's own JSON
 * mapper (snake_case component names, strict reading), derived from the host's Jackson {@code JsonMapper}; free-form
 * maps such as {@code extra_vars} keep their keys as sent.
 */
@NullMarked
package com.dotmac.provisioning.spring.web.dto;

import org.jspecify.annotations.NullMarked;

package com.dotmac.provisioning.spring.web.dto;

/**
 * Marks a type as a body of the provisioning REST API: only such types are read and written with the API's own JSON
 * mapper, so the host's other endpoints keep the host's JSON settings.
 */
public interface ApiBody {
}

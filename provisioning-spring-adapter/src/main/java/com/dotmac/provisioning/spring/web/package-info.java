/**
 * The REST API (README "REST API"): jobs of a tenant, their timelines (also live, as Server-Sent Events), cancel,
 * retry and the playbooks' callback.
 * Bodies are records ({@link com.dotmac.provisioning.spring.web.dto}) read and written with the API's own Jackson
 * mapper, derived from the host's (its modules carry through) with the API's contract fixed on top (snake_case,
 * strict reading, problem+json errors naming every bad field); the host's other endpoints keep the host's JSON.
 */
@NullMarked
package com.dotmac.provisioning.spring.web;

import org.jspecify.annotations.NullMarked;

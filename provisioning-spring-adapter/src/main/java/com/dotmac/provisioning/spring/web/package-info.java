/**
 * The REST API (README "REST API"): jobs of a tenant, their timelines, cancel, retry and the playbooks' callback.
 * JSON is read and written with the core's own JSON support, so the API's shape (snake_case, problem+json errors
 * naming every bad field) does not depend on how the host configures Jackson.
 */
@NullMarked
package com.dotmac.provisioning.spring.web;

import org.jspecify.annotations.NullMarked;

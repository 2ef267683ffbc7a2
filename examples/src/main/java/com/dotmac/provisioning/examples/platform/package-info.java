/**
 * An example platform on Spring Boot: a {@code tenants} table, HTTP Basic users, the provisioning REST API, and a
 * demo tenant provisioned at start-up. The runner is chosen by properties: AWX when
 * {@code provisioning.awx.base-url} is set, else the local Ansible runner over {@code ansible/} when
 * {@code ansible-playbook} is installed, else a simulation (with a clear notice).
 */
@NullMarked
package com.dotmac.provisioning.examples.platform;

import org.jspecify.annotations.NullMarked;

/**
 * Implementation details of the local Ansible runner: the run directory's layout, launching, inspecting and
 * signalling runs, reading their events, rendering customer-hosted inventories. Not API.
 */
@NullMarked
package com.dotmac.provisioning.ansible.internal;

import org.jspecify.annotations.NullMarked;

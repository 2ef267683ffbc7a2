/**
 * {@link com.dotmac.provisioning.scripted.ScriptedAutomationRunner}: an in-memory
 * {@link com.dotmac.provisioning.spi.AutomationRunner} that plays a script per tenant, for tests and demos. It runs
 * no automation at all.
 */
@NullMarked
package com.dotmac.provisioning.scripted;

import org.jspecify.annotations.NullMarked;

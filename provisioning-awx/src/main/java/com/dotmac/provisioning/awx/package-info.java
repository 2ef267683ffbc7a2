/**
 * The AWX / Ansible Automation Platform runner: {@link com.dotmac.provisioning.awx.AwxAutomationRunner} launches
 * and follows provisioning jobs as AWX job templates over the REST API v2, configured by
 * {@link com.dotmac.provisioning.awx.AwxConfig}.
 */
@NullMarked
package com.dotmac.provisioning.awx;

import org.jspecify.annotations.NullMarked;

/**
 * The local Ansible runner: {@link com.dotmac.provisioning.ansible.AnsiblePlaybookRunner} runs each job's playbook
 * with {@code ansible-playbook} on this machine, without AWX, configured by
 * {@link com.dotmac.provisioning.ansible.AnsibleRunnerConfig}.
 */
@NullMarked
package com.dotmac.provisioning.ansible;

import org.jspecify.annotations.NullMarked;

/**
 * What every adapter must do, as JUnit suites to extend ({@link JobRepositoryContract},
 * {@link AutomationRunnerContract}, {@link TenantDirectoryContract}), and deterministic test doubles for driving the
 * engine by hand ({@link ManualScheduler}, {@link MutableClock}, {@link ForwardingAutomationRunner}). Test code only:
 * add the module with test scope.
 */
@NullMarked
package com.dotmac.provisioning.testkit;

import org.jspecify.annotations.NullMarked;

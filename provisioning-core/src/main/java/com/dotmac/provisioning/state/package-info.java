/**
 * The job state machine ({@link com.dotmac.provisioning.state.JobStateMachine}), how tenant statuses follow jobs
 * ({@link com.dotmac.provisioning.state.TenantStatusRules}) and which operations a tenant's status allows
 * ({@link com.dotmac.provisioning.state.OperationPolicy}).
 */
@NullMarked
package com.dotmac.provisioning.state;

import org.jspecify.annotations.NullMarked;

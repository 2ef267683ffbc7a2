/**
 * The engine that drives jobs through the state machine: claiming with leases, launching (with crash-safe
 * re-attachment), batch polling, retries with back-off, deadlines, cancellation and tenant status. Not API: use
 * {@link com.dotmac.provisioning.TenantProvisioner}.
 *
 * <p>Where what happens (one job per file):
 *
 * <table>
 *   <caption>The engine's parts</caption>
 *   <tr><th>file</th><th>what it does</th></tr>
 *   <tr><td>{@code ProvisioningEngine}</td><td>wires the parts, starts and stops the periodic sweep; what the
 *       provisioner and {@code JobCommands} call; {@code EngineContext} is everything it works with</td></tr>
 *   <tr><td>{@code JobSweeper}</td><td>claims due work ({@code claimDue}, "process soon", a new job) and hands it to
 *       the scheduler's threads; routine polls go to {@code RunPoller} in one batch</td></tr>
 *   <tr><td>{@code JobDriver}</td><td>works on one claimed job step by step and decides which step comes next</td></tr>
 *   <tr><td>{@code TenantStatusStep}</td><td>applies the tenant status that goes with the job (and with its ending,
 *       in the same commit) until the directory accepts it; {@code DirectoryRefusals} counts refusals in a row
 *       (back-off, collapsed events, the health's backlog), {@code TenantStatusOrder} keeps a finished job's late
 *       status from overwriting a newer job's</td></tr>
 *   <tr><td>{@code LaunchStep}</td><td>where a launch happens: the cap on runs in flight, "launch pending" before the
 *       runner call, looking for an earlier attempt's run, launching, attaching, refusing, retrying with
 *       back-off</td></tr>
 *   <tr><td>{@code StopStep}</td><td>cancelling a queued job, a passed deadline, sending a run's cancel, ending an
 *       unconfirmed stop after the cancel grace</td></tr>
 *   <tr><td>{@code RunPoller}</td><td>polls runs in flight (one batch per sweep, each job's write on its own),
 *       backs off per job when polls fail ({@code PollFailures}), sets the next poll</td></tr>
 *   <tr><td>{@code RunEndStep}</td><td>where a run's end is applied: succeeded, failed, error, lost,
 *       cancelled</td></tr>
 *   <tr><td>{@code StrayRunWatch}</td><td>finds and cancels runs that a lost launch answer started late</td></tr>
 *   <tr><td>{@code RunStartWatch}</td><td>pending is not running: records a run's start (the job timeout counts
 *       from it) and stops a run that stays pending past the pending timeout</td></tr>
 *   <tr><td>{@code JobLeases}</td><td>this node's leases: length, renewal, release (and "process soon" when due),
 *       re-reading a job that is still ours</td></tr>
 *   <tr><td>{@code LaunchSpecs}, {@code JobMessages}</td><td>what the runner is given for a job; the texts written
 *       into jobs</td></tr>
 *   <tr><td>{@code JobWriter}, {@code JobChange}</td><td>one version-checked write of a job with its events, and the
 *       listeners told of them</td></tr>
 *   <tr><td>{@code JobCommands}, {@code CallbackIntake}, {@code RequestGuard}</td><td>what callers ask (request,
 *       cancel, retry, reads), playbook callbacks, what a request may choose</td></tr>
 *   <tr><td>{@code CallbackTokens}, {@code TokenRedactor}</td><td>per-job callback tokens, and removing them from
 *       what comes back (delays after transient failures come from the public
 *       {@link com.dotmac.provisioning.retry.Backoff} in the settings)</td></tr>
 * </table>
 *
 * <p>All parts are created once per engine and shared by the scheduler's threads; each class says in its Javadoc
 * what it shares and what it confines to one thread. The sweeper, the driver, the steps, the poller and the stray
 * watch all log under {@code ProvisioningEngine}'s logger: one category to turn up for the engine's decisions.
 */
@NullMarked
package com.dotmac.provisioning.internal.engine;

import org.jspecify.annotations.NullMarked;

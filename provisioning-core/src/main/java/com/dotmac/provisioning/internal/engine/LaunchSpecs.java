package com.dotmac.provisioning.internal.engine;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.StoredJob;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds what the runner is given for a job: the request's extra vars plus the reserved ones (tenant, operation,
 * {@code provisioning_job_id}, the request's {@code traceparent} when it was traced, and the callback URL and token
 * when callbacks are on). The same spec launches a run
 * and finds the runs an earlier attempt started. Thread-safe: it holds only what the engine was built with.
 */
final class LaunchSpecs {
    private final EngineContext ctx;
    private final @Nullable CallbackTokens tokens;

    LaunchSpecs(EngineContext ctx, @Nullable CallbackTokens tokens) {
        this.ctx = ctx;
        this.tokens = tokens;
    }

    /** The spec that finds a job's runs: no credential is resolved (none is used). */
    LaunchSpec toFind(StoredJob s, Instant launchPendingSince) {
        return toLaunch(s, launchPendingSince, null);
    }

    /** The launch spec: the request's extra vars plus the reserved ones (including the callback token). */
    LaunchSpec toLaunch(StoredJob s, Instant launchPendingSince, @Nullable String runnerCredential) {
        ProvisioningJob job = s.job();
        Map<String, Object> vars = new LinkedHashMap<>(job.extraVars());
        vars.put(PlaybookVariables.TENANT_ID, job.tenantId());
        vars.put(PlaybookVariables.TENANT_SLUG, job.tenantSlug());
        vars.put(PlaybookVariables.DEPLOYMENT_MODE, job.deploymentMode().wireName());
        vars.put(PlaybookVariables.OPERATION, job.operation().wireName());
        vars.put(PlaybookVariables.PROVISIONING_JOB_ID, job.id());
        if (job.connectionProfile() != null) {
            vars.put(PlaybookVariables.CONNECTION_PROFILE, job.connectionProfile().toMap());
        }
        if (job.releaseVersion() != null) {
            vars.put(PlaybookVariables.RELEASE_VERSION, job.releaseVersion());
        }
        if (job.traceparent() != null) {
            vars.put(PlaybookVariables.TRACEPARENT, job.traceparent());
        }
        if (ctx.callback() != null && tokens != null) {
            vars.put(PlaybookVariables.PLATFORM_CALLBACK_URL, ctx.callback().urlFor(job.tenantId(), job.id()));
            vars.put(PlaybookVariables.PLATFORM_CALLBACK_TOKEN, tokens.tokenFor(job.id()));
        }
        return new LaunchSpec(job, vars, launchPendingSince, runnerCredential);
    }
}

package com.dotmac.provisioning.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A run that a runner launched (or found again).
 *
 * @param runId the runner's id for the run (AWX job id; local runner: the run's directory name)
 * @param templateId the template it runs (AWX job template id), or null when the runner has none
 */
public record LaunchedRun(String runId, @Nullable Long templateId) {
    /** Checks the run id. */
    public LaunchedRun {
        Objects.requireNonNull(runId, "runId");
        if (runId.isBlank()) {
            throw new IllegalArgumentException("runId must not be blank");
        }
    }
}

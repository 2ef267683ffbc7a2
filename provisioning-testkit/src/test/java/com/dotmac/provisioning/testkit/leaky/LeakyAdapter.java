package com.dotmac.provisioning.testkit.leaky;

import com.dotmac.provisioning.internal.engine.JobCommands;
import org.jspecify.annotations.Nullable;

/** A stand-in for an adapter that reaches into the core's internal package, which the boundary rules refuse. */
public final class LeakyAdapter {
    private @Nullable JobCommands commands;

    /** @return the engine's internal command handler this adapter should never have held */
    public @Nullable JobCommands commands() {
        return commands;
    }
}

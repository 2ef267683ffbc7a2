package com.dotmac.provisioning.scripted;

/**
 * Thrown by {@link ScriptedAutomationRunner} to stand for the engine's JVM dying mid-call. An {@link Error}, so the
 * engine does not treat it as a runner failure and records nothing.
 */
public final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    /** @param message where the "crash" happened */
    public SimulatedCrash(String message) {
        super(message);
    }
}

package com.dotmac.provisioning.awx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link AwxAutomationRunner.Sleeper} that records the delays instead of sleeping. Thread-safe. */
final class RecordingSleeper implements AwxAutomationRunner.Sleeper {
    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration delay) {
        delays.add(delay);
    }

    /** @return the delays asked for, in order */
    List<Duration> delays() {
        return List.copyOf(delays);
    }
}

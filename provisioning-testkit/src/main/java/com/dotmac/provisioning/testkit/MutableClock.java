package com.dotmac.provisioning.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand. Thread-safe. */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /** @param start the initial instant */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** @return a clock at 2026-01-15T10:00:00Z */
    public static MutableClock atFixedStart() {
        return new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    }

    /** @param d how far to move forward */
    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    /** @param instant the new time */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}

package com.logisync.contracts.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Duration;
import java.time.Instant;

/** An agreed window at a stop, as UTC instants. */
@RegisterForReflection
public record TimeWindow(Instant start, Instant end) {

    /** Whole minutes after the end of the window; zero when on time or early. */
    public long minutesLate(Instant t) {
        return t.isAfter(end) ? Duration.between(end, t).toMinutes() : 0;
    }
}

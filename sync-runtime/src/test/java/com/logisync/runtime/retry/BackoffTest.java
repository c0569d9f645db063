package com.logisync.runtime.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void doublesPerFailureFromTheInitialWaitAndStopsAtTheCap() {
        Duration initial = Duration.ofSeconds(5);
        Duration max = Duration.ofMinutes(10);
        assertThat(Backoff.exponential(initial, max, 0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Backoff.exponential(initial, max, 1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Backoff.exponential(initial, max, 2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(Backoff.exponential(initial, max, 7)).isEqualTo(Duration.ofSeconds(320));
        assertThat(Backoff.exponential(initial, max, 8)).isEqualTo(Duration.ofMinutes(10));
        assertThat(Backoff.exponential(initial, max, 1000)).isEqualTo(Duration.ofMinutes(10));
    }
}

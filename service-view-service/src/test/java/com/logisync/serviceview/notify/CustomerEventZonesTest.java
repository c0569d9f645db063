package com.logisync.serviceview.notify;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Zones are looked up once per name; a name that is not a zone stays none, as ZoneId.of's exception said. */
class CustomerEventZonesTest {

    @Test
    void aZoneIsParsedOnceAndAnUnknownNameIsNone() {
        ZoneId chicago = CustomerEventFeed.zone("America/Chicago");
        assertThat(chicago).isEqualTo(ZoneId.of("America/Chicago"));
        assertThat(CustomerEventFeed.zone("America/Chicago")).isSameAs(chicago);
        assertThat(CustomerEventFeed.zone("Mars/Olympus_Mons")).isNull();
        assertThat(CustomerEventFeed.zone("+02:00")).isEqualTo(ZoneOffset.ofHours(2));
    }

    @Test
    void localTimesAreTheZonesWallClock() {
        Instant t = Instant.parse("2026-07-01T15:04:05Z");
        assertThat(CustomerEventFeed.local(t, "America/Chicago")).isEqualTo("2026-07-01T10:04:05");
        assertThat(CustomerEventFeed.local(Instant.parse("2026-12-01T15:04:05Z"), "America/Chicago"))
                .isEqualTo("2026-12-01T09:04:05");
        assertThat(CustomerEventFeed.local(t, "Europe/Berlin")).isEqualTo("2026-07-01T17:04:05");
        assertThat(CustomerEventFeed.local(t, "not a zone")).isNull();
    }

    @Test
    void aLocalTimeIsWholeSecondsWrittenAsThePatternWritesThem() {
        java.time.format.DateTimeFormatter pattern = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
        java.util.SplittableRandom random = new java.util.SplittableRandom(31);
        for (String zone : java.util.List.of("America/Chicago", "Asia/Kolkata", "UTC", "+05:45")) {
            for (int i = 0; i < 20_000; i++) {
                Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                        random.nextInt(0, 1_000_000_000));
                assertThat(CustomerEventFeed.local(t, zone)).as("%s in %s", t, zone)
                        .isEqualTo(t.atZone(ZoneId.of(zone)).toLocalDateTime().format(pattern));
            }
        }
        assertThat(CustomerEventFeed.local(Instant.parse("2026-07-01T15:04:05.987Z"), "America/Chicago"))
                .isEqualTo("2026-07-01T10:04:05");
    }
}

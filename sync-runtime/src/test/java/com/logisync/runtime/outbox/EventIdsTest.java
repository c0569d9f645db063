package com.logisync.runtime.outbox;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event ids are version 7 UUIDs whose text sorts by time, so the consumers' ledger index grows at its right edge. */
class EventIdsTest {

    @Test
    void anIdCarriesItsMillisecondAndTheVersion7Layout() {
        long at = 1_795_000_000_123L; // 2026-11-18T11:06:40.123Z
        UUID id = UUID.fromString(Outbox.fastUuid(at));
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(at, id.getMostSignificantBits() >>> 16);
        assertTrue(Outbox.fastUuid(at).startsWith("01a1ee56-5e7b-7"), Outbox.fastUuid(at));
    }

    @Test
    void textOrderIsTimeOrder() {
        String earlier = Outbox.fastUuid(1_795_000_000_123L);
        String later = Outbox.fastUuid(1_795_000_000_124L);
        String muchLater = Outbox.fastUuid(1_900_000_000_000L);
        assertTrue(earlier.compareTo(later) < 0, earlier + " < " + later);
        assertTrue(later.compareTo(muchLater) < 0, later + " < " + muchLater);
    }

    @Test
    void idsOfOneMillisecondAreStillDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            assertTrue(seen.add(Outbox.fastUuid(1_795_000_000_123L)), "a repeated id after " + i);
        }
    }
}

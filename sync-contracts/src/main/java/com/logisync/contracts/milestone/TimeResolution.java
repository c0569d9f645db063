package com.logisync.contracts.milestone;

/** How the event's UTC instant was obtained from what the source reported. */
public enum TimeResolution {
    /** The source gave UTC. */
    SOURCE_UTC,
    /** The source gave a local time with an offset. */
    SOURCE_OFFSET,
    /** The source gave a local time without offset; the stop's IANA zone resolved it. */
    STOP_ZONE,
    /** The source gave a local time without offset; the zone of the place it was reported from resolved it. */
    REPORTING_LOCATION,
    /** A local time no location or stop resolved: the zone named in zoneId was assumed. */
    ASSUMED,
    UNKNOWN
}

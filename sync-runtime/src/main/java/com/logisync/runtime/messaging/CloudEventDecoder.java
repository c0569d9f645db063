package com.logisync.runtime.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.EventType;
import com.logisync.contracts.LogiSyncEvent;
import com.logisync.contracts.ShipmentEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Reads binary-mode CloudEvents ({@code ce_*} headers, JSON data) into typed LogiSync events. */
@ApplicationScoped
public class CloudEventDecoder {

    private final ObjectMapper mapper;
    private final MilestoneRecordedReader milestones;

    public CloudEventDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
        this.milestones = new MilestoneRecordedReader(mapper);
    }

    /**
     * The event, or empty for a type this version does not know (a newer producer's event: the
     * consumer dead-letters it visibly, for a redrive after the upgrade).
     *
     * @throws PoisonEventException when the record is not a readable LogiSync event
     */
    public Optional<IncomingEvent> decode(ConsumerRecord<String, String> record) {
        // The attributes in one pass over the headers (the last of a repeated one wins, as lastHeader): the
        // decoder runs once per consumed record, and five lookups walked the headers five times.
        String ceType = null;
        String ceId = null;
        String source = null;
        String time = null;
        String traceparent = null;
        for (Header h : record.headers()) {
            switch (h.key()) {
                case "ce_type" -> ceType = utf8(h);
                case "ce_id" -> ceId = utf8(h);
                case "ce_source" -> source = utf8(h);
                case "ce_time" -> time = utf8(h);
                case "traceparent" -> traceparent = utf8(h);
                default -> {
                }
            }
        }
        if (ceType == null || ceId == null) {
            throw new PoisonEventException("Record at " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " is not a CloudEvent: ce_id or ce_type header missing", null);
        }
        Optional<EventType> type = EventType.ofCeType(ceType);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        LogiSyncEvent payload;
        try {
            // Most records are milestones: read by hand when the text has the shapes the mapper would read the same
            // way, by the mapper otherwise (coercions, errors and poison exactly as before).
            payload = type.get() == EventType.MILESTONE_RECORDED ? milestones.readOrNull(record.value()) : null;
            if (payload == null) {
                payload = mapper.readValue(record.value(), type.get().payloadType());
            }
        } catch (Exception e) {
            throw new PoisonEventException("Unreadable " + ceType + " payload in event " + ceId + ": " + e.getMessage(), e);
        }
        if (payload == null || payload instanceof ShipmentEvent s && s.correlation() == null) {
            throw new PoisonEventException("Event " + ceId + " of type " + ceType + " has no correlation block", null);
        }
        return Optional.of(new IncomingEvent(ceId, type.get(), source,
                time == null ? Instant.ofEpochMilli(record.timestamp()) : ceTime(time), payload, traceparent));
    }

    private static String utf8(Header h) {
        return h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Instant ceTime(String time) {
        Instant fast = com.logisync.runtime.json.IsoTimes.instantOrNull(time);
        return fast != null ? fast : OffsetDateTime.parse(time).toInstant();
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

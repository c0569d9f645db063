package com.logisync.runtime.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.logisync.contracts.EventType;
import com.logisync.contracts.event.ServiceTaskResolved;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decoder reads the attributes in one pass over the headers: what lastHeader gave, for every attribute. */
class CloudEventDecoderTest {

    private final CloudEventDecoder decoder = new CloudEventDecoder(new ObjectMapper().registerModule(new JavaTimeModule()));

    private static final String RESOLVED = "{\"correlation\":{\"shipmentId\":\"SHP-D1\",\"references\":[]},\"taskId\":\"T-1\","
            + "\"resolvedBy\":\"agent-7\",\"resolution\":\"called back\",\"resolvedAt\":\"2026-12-01T10:15:30Z\"}";

    private static ConsumerRecord<String, String> record(RecordHeaders headers, String value) {
        return new ConsumerRecord<>("logisync.service-tasks.v1", 2, 41L, 1_764_584_130_000L, TimestampType.CREATE_TIME,
                -1, -1, "SHP-D1", value, headers, Optional.empty());
    }

    private static RecordHeaders headers(String... pairs) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            h.add(pairs[i], pairs[i + 1] == null ? null : pairs[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return h;
    }

    @Test
    void everyAttributeComesFromItsHeader() {
        IncomingEvent e = decoder.decode(record(headers("ce_specversion", "1.0", "ce_id", "evt-9",
                "ce_type", EventType.SERVICE_TASK_RESOLVED.ceType(), "ce_source", "/logisync/service-view-service",
                "ce_time", "2026-12-01T10:15:31.250Z", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "content-type", "application/json"), RESOLVED)).orElseThrow();
        assertThat(e.eventId()).isEqualTo("evt-9");
        assertThat(e.type()).isEqualTo(EventType.SERVICE_TASK_RESOLVED);
        assertThat(e.source()).isEqualTo("/logisync/service-view-service");
        assertThat(e.time()).isEqualTo(Instant.parse("2026-12-01T10:15:31.250Z"));
        assertThat(e.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(e.shipmentId()).isEqualTo("SHP-D1");
        assertThat(((ServiceTaskResolved) e.payload()).resolvedBy()).isEqualTo("agent-7");
    }

    @Test
    void aRepeatedHeaderCountsByItsLastValueAndMissingOptionalOnesAreNull() {
        IncomingEvent e = decoder.decode(record(headers("ce_id", "first", "ce_type", EventType.SERVICE_TASK_RESOLVED.ceType(),
                "ce_id", "second", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "traceparent", null), RESOLVED)).orElseThrow();
        assertThat(e.eventId()).isEqualTo("second");
        assertThat(e.traceparent()).isNull();
        assertThat(e.source()).isNull();
        // No ce_time: the record's own timestamp.
        assertThat(e.time()).isEqualTo(Instant.ofEpochMilli(1_764_584_130_000L));
    }

    @Test
    void anUnknownTypeIsEmptyAndARecordWithoutIdOrTypeIsPoison() {
        assertThat(decoder.decode(record(headers("ce_id", "evt-1", "ce_type", "com.logisync.future.thing.v9"), "{}")))
                .isEmpty();
        assertThatThrownBy(() -> decoder.decode(record(headers("ce_type", EventType.SERVICE_TASK_RESOLVED.ceType()), RESOLVED)))
                .isInstanceOf(PoisonEventException.class).hasMessageContaining("logisync.service-tasks.v1-2@41")
                .hasMessageContaining("ce_id or ce_type header missing");
        assertThatThrownBy(() -> decoder.decode(record(headers("ce_id", "evt-2", "ce_type",
                EventType.SERVICE_TASK_RESOLVED.ceType()), "{\"taskId\":")))
                .isInstanceOf(PoisonEventException.class).hasMessageContaining("Unreadable " + EventType.SERVICE_TASK_RESOLVED.ceType());
        assertThat(EventType.ofCeType(null)).isEmpty();
        assertThat(EventType.ofCeType(EventType.CUSTOMER_UPDATED.ceType())).contains(EventType.CUSTOMER_UPDATED);
    }
}

package com.logisync.runtime.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Records read the way the consumer reads them (a batch decoded from one buffer, as a fetch response is):
 * their headers share that buffer until the interceptor has copied them out.
 */
class DetachedHeadersTest {

    private static final TopicPartition PARTITION = new TopicPartition("logisync.milestones.v1", 0);

    /** Two records with two headers each, decoded from one buffer; and that buffer. */
    private static ConsumerRecords<Object, Object> polled(ByteBuffer[] responseOut) {
        MemoryRecords response = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(1L, "SHP-1".getBytes(StandardCharsets.UTF_8), "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                        new Header[] {new RecordHeader("ce_type", "com.logisync.milestone.recorded.v1".getBytes(StandardCharsets.UTF_8)),
                                new RecordHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                                        .getBytes(StandardCharsets.UTF_8))}),
                new SimpleRecord(2L, "SHP-2".getBytes(StandardCharsets.UTF_8), "{\"a\":2}".getBytes(StandardCharsets.UTF_8),
                        new Header[] {new RecordHeader("ce_type", "com.logisync.milestone.recorded.v1".getBytes(StandardCharsets.UTF_8)),
                                new RecordHeader("ce_id", "event-2".getBytes(StandardCharsets.UTF_8))}));
        responseOut[0] = response.buffer();
        List<ConsumerRecord<Object, Object>> records = new ArrayList<>();
        for (Record r : response.records()) {
            records.add(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), r.offset(), r.timestamp(),
                    TimestampType.CREATE_TIME, r.keySize(), r.valueSize(), "SHP-" + (r.offset() + 1), "value",
                    new RecordHeaders(r.headers()), Optional.empty()));
        }
        return new ConsumerRecords<>(Map.of(PARTITION, records));
    }

    private static void overwrite(ByteBuffer response) {
        Arrays.fill(response.array(), response.arrayOffset(), response.arrayOffset() + response.limit(), (byte) 'x');
    }

    private static List<String> headers(ConsumerRecords<Object, Object> records) {
        List<String> seen = new ArrayList<>();
        for (ConsumerRecord<Object, Object> r : records) {
            for (Header h : r.headers()) {
                seen.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return seen;
    }

    private static final List<String> SENT = List.of("ce_type=com.logisync.milestone.recorded.v1",
            "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "ce_type=com.logisync.milestone.recorded.v1", "ce_id=event-2");

    @Test
    void withoutItAHeaderIsStillTheResponseBuffer() {
        ByteBuffer[] response = new ByteBuffer[1];
        ConsumerRecords<Object, Object> records = polled(response);
        overwrite(response[0]);
        // What the headers read now is whatever the buffer holds: they kept it alive.
        assertNotEquals(SENT, headers(records));
    }

    @Test
    void afterItEveryHeaderIsItsOwnCopyAndTheRecordsAreTheSame() {
        ByteBuffer[] response = new ByteBuffer[1];
        ConsumerRecords<Object, Object> records = polled(response);
        ConsumerRecords<Object, Object> handedOn;
        try (DetachedHeaders interceptor = new DetachedHeaders()) {
            handedOn = interceptor.onConsume(records);
        }
        assertSame(records, handedOn);
        overwrite(response[0]);
        assertEquals(SENT, headers(records));
        assertEquals(2, records.count());
    }
}

package com.logisync.runtime.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.EventType;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.milestone.TimeResolution;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.runtime.RandomMilestoneEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand-written reader of {@link MilestoneRecorded} gives what the application's mapper gives, or leaves the text
 * to it: on every shape the producer writes it must read the event itself, equal to databind's; on every other
 * shape the decoder's answer (an event, or a poison record) must be the mapper's.
 */
class MilestoneRecordedReaderTest {

    private static final ObjectMapper MAPPER = RandomMilestoneEvents.mapper();

    private final MilestoneRecordedReader reader = new MilestoneRecordedReader(MAPPER);
    private final CloudEventDecoder decoder = new CloudEventDecoder(MAPPER);

    @Test
    void everyEventTheProducerCanWriteIsReadByHandAsTheMapperReadsIt() throws Exception {
        Random random = new Random(20261203L);
        int signed = 0;
        for (int i = 0; i < 5000; i++) {
            MilestoneRecorded e = RandomMilestoneEvents.next(random);
            String json = MAPPER.writeValueAsString(e);
            MilestoneRecorded byHand = reader.readOrNull(json);
            assertThat(byHand).as("event %d read by hand: %s", i, json).isNotNull();
            assertThat(byHand).as("event %d: %s", i, json).isEqualTo(MAPPER.readValue(json, MilestoneRecorded.class))
                    .isEqualTo(e);
            if (json.contains("\"signed\":")) {
                signed++;
            }
        }
        // The mapper writes a POD's isSigned() as "signed" and ignores it on reading; the reader skips it too.
        assertThat(signed).isGreaterThan(1000);
    }

    @Test
    void aTypicalMilestoneIsReadByHandThroughTheDecoder() throws Exception {
        MilestoneRecorded e = new MilestoneRecorded("REST_API:SWIFT:ev-1", 2,
                new Correlation("SHP-R7", "ORD-SHP-R7", "LD-SHP-R7", null, "CUST-ACME",
                        List.of(new ExternalReference(ReferenceType.BOL, "BOL-1"), new ExternalReference(ReferenceType.PO, "PO-7"))),
                MilestoneType.DELIVERED, Classifier.ACTUAL,
                new EventTime(Instant.parse("2026-12-03T15:04:05.123Z"), LocalDateTime.parse("2026-12-03T09:04:05.123"),
                        "America/Chicago", TimeResolution.STOP_ZONE),
                Instant.parse("2026-12-03T15:04:35.000456Z"),
                new Location("Store 17", "USHOU", new Address("1 Main St", "Houston", "TX", "77002", "US"), 29.76, -95.37, 2,
                        StopType.DELIVERY),
                null, new Source(SourceSystem.REST_API, "SWIFT", "ev-1", "D1"),
                new ProofOfDelivery("J. Doe", Instant.parse("2026-12-03T15:04:00Z"), "DOC-9", null, true, null),
                new Enrichment("CUST-ACME", 2, new TimeWindow(Instant.parse("2026-12-03T14:00:00Z"),
                        Instant.parse("2026-12-03T16:00:00Z")), 0, false), false);
        String json = MAPPER.writeValueAsString(e);
        assertThat(reader.readOrNull(json)).isEqualTo(e);
        // Whole coordinates as a partner's own JSON writes them (the mapper writes 30.0): read by hand, the same doubles.
        String whole = json.replace("\"latitude\":29.76,\"longitude\":-95.37", "\"latitude\":30,\"longitude\":-95");
        assertThat(whole).contains("\"latitude\":30,");
        assertThat(reader.readOrNull(whole)).isNotNull().isEqualTo(MAPPER.readValue(whole, MilestoneRecorded.class));
        assertThat(reader.readOrNull(whole).location().longitude()).isEqualTo(-95.0);
        IncomingEvent in = decoder.decode(record(json)).orElseThrow();
        assertThat(in.payload()).isEqualTo(e);
        assertThat(in.shipmentId()).isEqualTo("SHP-R7");
    }

    /**
     * Shapes the producer never writes: the reader leaves each one to the mapper (null), and the decoder answers what
     * the mapper answers, an event or a poison record.
     */
    @Test
    void everyOtherShapeIsLeftToTheMapperWhichDecidesAsBefore() throws Exception {
        String base = "\"eventId\":\"e-1\",\"correlation\":{\"shipmentId\":\"SHP-R8\"},\"milestone\":\"IN_TRANSIT\"";
        String[] accepted = {
            "{" + base + ",\"revision\":\"3\"}",                      // a number as text: coerced
            "{" + base + ",\"revision\":null}",                       // null for a primitive: 0
            "{" + base + ",\"revision\":2.0}",                        // a float for an int: truncated
            "{" + base + ",\"outOfOrder\":\"true\"}",                 // a boolean as text
            "{" + base + ",\"eventId\":\"e-2\"}",                     // a repeated property
            "{" + base + ",\"receivedAt\":\"2026-12-03T10:15:30+01:00\"}", // a time with an offset
            "{" + base + ",\"receivedAt\":1764756930.5}",             // a time as a number
            "{" + base + ",\"location\":{\"latitude\":\"29.7\"}}",    // a decimal as text
            "{" + base + ",\"eventId\":42}",                          // a number for a text
        };
        for (String json : accepted) {
            assertThat(reader.readOrNull(json)).as(json).isNull();
            MilestoneRecorded byMapper = MAPPER.readValue(json, MilestoneRecorded.class);
            assertThat(decoder.decode(record(json)).orElseThrow().payload()).as(json).isEqualTo(byMapper);
        }
        assertThat(((MilestoneRecorded) decoder.decode(record(accepted[0])).orElseThrow().payload()).revision()).isEqualTo(3);
        assertThat(((MilestoneRecorded) decoder.decode(record(accepted[5])).orElseThrow().payload()).receivedAt())
                .isEqualTo(Instant.parse("2026-12-03T09:15:30Z"));

        String[] refused = {
            "{\"eventId\":\"e-1\",\"correlation\":{\"shipmentId\":\"SHP-R8\"},\"milestone\":\"TELEPORTED\"}", // unknown name
            "{\"eventId\":\"e-1\",\"correlation\":{\"orderId\":\"ORD-1\"}}",                       // no shipment id
            "{" + base + ",\"correlation\":{\"shipmentId\":\"SHP-R8\",\"references\":[null]}}",   // a null reference
            "{" + base + ",\"revision\":12345678901}",                                            // an int out of range
            "{" + base + ",\"receivedAt\":\"yesterday\"}",                                        // not a time
            "{" + base + ",",                                                                     // cut short
            "[" + base + "]",                                                                     // not an object
            "null",
        };
        for (String json : refused) {
            assertThat(reader.readOrNull(json)).as(json).isNull();
            assertThatThrownBy(() -> decoder.decode(record(json))).as(json).isInstanceOf(PoisonEventException.class);
        }
        // Without a correlation block the text is read (as the mapper reads it), and the decoder refuses the event.
        String uncorrelated = "{\"eventId\":\"e-1\",\"milestone\":\"IN_TRANSIT\"}";
        assertThat(reader.readOrNull(uncorrelated)).isEqualTo(MAPPER.readValue(uncorrelated, MilestoneRecorded.class));
        assertThatThrownBy(() -> decoder.decode(record(uncorrelated))).isInstanceOf(PoisonEventException.class)
                .hasMessageContaining("has no correlation block");
    }

    @Test
    void unknownPropertiesAreSkippedWhenTheMapperIgnoresThemAndLeftToItWhenItDoesNot() throws Exception {
        String json = "{\"eventId\":\"e-1\",\"future\":{\"a\":[1,{\"b\":null}],\"c\":\"d\"},\"correlation\":"
                + "{\"shipmentId\":\"SHP-R9\",\"tenant\":\"x\"},\"milestone\":\"ARRIVED_PICKUP\",\"revision\":4,\"next\":[]}";
        MilestoneRecorded read = reader.readOrNull(json);
        assertThat(read).isNotNull().isEqualTo(MAPPER.readValue(json, MilestoneRecorded.class));
        assertThat(read.revision()).isEqualTo(4);
        assertThat(read.milestone()).isEqualTo(MilestoneType.ARRIVED_PICKUP);
        assertThat(read.correlation().references()).isEmpty();

        ObjectMapper strict = MAPPER.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        assertThat(new MilestoneRecordedReader(strict).readOrNull(json)).isNull();
        assertThatThrownBy(() -> new CloudEventDecoder(strict).decode(record(json))).isInstanceOf(PoisonEventException.class)
                .hasMessageContaining("Unrecognized field");
    }

    @Test
    void aMapperThatMatchesNamesOtherwiseOrRefusesAbsentMembersReadsEveryTextItself() throws Exception {
        String json = MAPPER.writeValueAsString(RandomMilestoneEvents.next(new Random(7)));
        assertThat(reader.enabled()).isTrue();
        assertThat(reader.readOrNull(json)).isNotNull();
        ObjectMapper[] others = {
            MAPPER.copy().setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE),
            MAPPER.copy().enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES),
            MAPPER.copy().enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES),
            MAPPER.copy().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES),
            JsonMapperCaseInsensitive.of(),
        };
        for (ObjectMapper other : others) {
            MilestoneRecordedReader r = new MilestoneRecordedReader(other);
            assertThat(r.enabled()).isFalse();
            assertThat(r.readOrNull(json)).isNull();
        }
        // With names matched case-insensitively, "EventId" is the event's id: the mapper, not the reader, says so.
        String shouted = "{\"EventId\":\"e-9\",\"correlation\":{\"shipmentId\":\"SHP-R10\"}}";
        assertThat(reader.readOrNull(shouted).eventId()).isNull();
        assertThat(((MilestoneRecorded) new CloudEventDecoder(JsonMapperCaseInsensitive.of()).decode(record(shouted))
                .orElseThrow().payload()).eventId()).isEqualTo("e-9");
    }

    /** The test mapper with property names matched case-insensitively (a builder setting in Jackson 2.x). */
    private static final class JsonMapperCaseInsensitive {
        static ObjectMapper of() {
            return com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .addModule(new com.logisync.runtime.json.FastTimeModule())
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build();
        }
    }

    private static ConsumerRecord<String, String> record(String value) {
        RecordHeaders h = new RecordHeaders();
        h.add("ce_id", "evt-1".getBytes(StandardCharsets.UTF_8));
        h.add("ce_type", EventType.MILESTONE_RECORDED.ceType().getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>("logisync.milestones.v1", 0, 7L, 1_764_756_930_000L, TimestampType.CREATE_TIME, -1, -1,
                "SHP-R", value, h, Optional.empty());
    }
}

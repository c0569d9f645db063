package com.logisync.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventJsonTest {

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void milestoneRoundTripsThroughJsonWithIsoInstants() throws Exception {
        Instant delivered = Instant.parse("2026-11-20T15:42:00Z");
        MilestoneRecorded event = new MilestoneRecorded("REST_API:acme:ev-1", 1,
                new Correlation("SHP-1", "ORD-1", "LOAD-1", null, "CUST-1",
                        List.of(new ExternalReference(ReferenceType.BOL, "BOL-9"))),
                MilestoneType.DELIVERED, Classifier.ACTUAL, EventTime.ofUtc(delivered), delivered.plusSeconds(5),
                null, null, new Source(SourceSystem.REST_API, "acme", "ev-1", null),
                new ProofOfDelivery("J. Doe", delivered, "POD-77", null),
                new Enrichment("CUST-1", 2, null, 12, true), false);

        String json = mapper.writeValueAsString(event);

        assertThat(json).contains("\"eventTime\":{\"utc\":\"2026-11-20T15:42:00Z\"")
                .contains("\"milestone\":\"DELIVERED\"")
                .doesNotContain("invoiceId");
        assertThat(mapper.readValue(json, MilestoneRecorded.class)).isEqualTo(event);
    }

    @Test
    void everyEventTypeHasAUniqueCloudEventsTypeOnAKnownTopic() {
        assertThat(java.util.Arrays.stream(EventType.values()).map(EventType::ceType).distinct())
                .hasSize(EventType.values().length);
        for (EventType t : EventType.values()) {
            assertThat(Topics.ALL).contains(t.topic());
            assertThat(EventType.ofCeType(t.ceType())).contains(t);
        }
    }
}

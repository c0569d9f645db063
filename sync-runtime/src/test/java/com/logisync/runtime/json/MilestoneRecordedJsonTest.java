package com.logisync.runtime.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.runtime.RandomMilestoneEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written {@link MilestoneRecordedJson} gives, character for character, what the services' mapper writes. */
class MilestoneRecordedJsonTest {

    private static final ObjectMapper MAPPER = RandomMilestoneEvents.mapper();

    @Test
    void everyShapeOfEventIsWrittenAsTheMapperWritesIt() throws Exception {
        Random random = new Random(20261204L);
        for (int i = 0; i < 5000; i++) {
            MilestoneRecorded e = RandomMilestoneEvents.next(random);
            assertThat(MilestoneRecordedJson.write(e)).as("event %d", i).isEqualTo(MAPPER.writeValueAsString(e));
        }
    }

    @Test
    void nullsAreLeftOutWhereTheRecordSaysSoAndWrittenWhereItDoesNot() throws Exception {
        MilestoneRecorded e = new MilestoneRecorded("REST_API:SWIFT:ev-2", 0,
                new Correlation("SHP-J9", null, null, null, null, List.of(new ExternalReference(null, "BOL-1"))),
                MilestoneType.DELIVERED, Classifier.ACTUAL, new EventTime(Instant.parse("2026-12-03T10:00:00Z"), null, null, null),
                null, null, null, null, new ProofOfDelivery(null, null, null, null),
                new Enrichment(null, null, new TimeWindow(null, Instant.parse("2026-12-03T12:00:00.5Z")), -15, false), true);
        String json = MilestoneRecordedJson.write(e);
        assertThat(json).isEqualTo(MAPPER.writeValueAsString(e)).isEqualTo("{\"eventId\":\"REST_API:SWIFT:ev-2\",\"revision\":0,"
                + "\"correlation\":{\"shipmentId\":\"SHP-J9\",\"references\":[{\"type\":null,\"value\":\"BOL-1\"}]},"
                + "\"milestone\":\"DELIVERED\",\"classifier\":\"ACTUAL\",\"eventTime\":{\"utc\":\"2026-12-03T10:00:00Z\"},"
                + "\"pod\":{\"signed\":false},\"enrichment\":{\"plannedWindow\":{\"start\":null,\"end\":\"2026-12-03T12:00:00.500Z\"},"
                + "\"delayMinutes\":-15,\"late\":false},\"outOfOrder\":true}");
        assertThat(MAPPER.readValue(json, MilestoneRecorded.class)).isEqualTo(e);
    }
}
